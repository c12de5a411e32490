# The ingested files as a table: CSV with a header (region, product, amount), one partition per day projected
# from the dt= folder names (no crawler, no partitions to add), and a workgroup that writes results,
# encrypted, to the reporting bucket and cancels a query scanning more than it allows.

locals {
  catalog_arns = [
    "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:catalog",
    "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:database/${aws_glue_catalog_database.lake.name}",
    "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${aws_glue_catalog_database.lake.name}/${aws_glue_catalog_table.sales.name}",
  ]
}

resource "aws_glue_catalog_database" "lake" {
  name        = replace("${var.name}_lake", "-", "_")
  description = "${var.name}'s ingested sales"
  tags        = var.tags
}

resource "aws_glue_catalog_table" "sales" {
  name          = "sales"
  database_name = aws_glue_catalog_database.lake.name
  description   = "Sales files ingested under ${var.ingest_prefix}dt=YYYY-MM-DD/ (CSV with a header)"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "classification"         = "csv"
    "skip.header.line.count" = "1"
    "projection.enabled"     = "true"
    "projection.dt.type"     = "date"
    "projection.dt.format"   = "yyyy-MM-dd"
    # Through tomorrow: a producer ahead of UTC names its day before UTC reaches it.
    "projection.dt.range"         = "NOW-${var.queryable_years}YEARS,NOW+1DAYS"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "storage.location.template"   = "s3://${module.ingest.bucket_name}/${var.ingest_prefix}dt=$${dt}/"
  }

  partition_keys {
    name = "dt"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${module.ingest.bucket_name}/${var.ingest_prefix}"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    # OpenCSVSerde reads quoted fields, and fails a query on an amount that is not a number (HIVE_BAD_DATA)
    # rather than reading it as NULL: a report never sums less than its files hold without saying so.
    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
      parameters            = { separatorChar = ",", quoteChar = "\"" }
    }

    columns {
      name = "region"
      type = "string"
    }
    columns {
      name = "product"
      type = "string"
    }
    columns {
      name = "amount"
      type = "double"
    }
  }
}

resource "aws_athena_workgroup" "reporting" {
  name          = "${var.name}-reporting"
  description   = "${var.name}'s daily sales reports"
  force_destroy = true
  tags          = var.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.query_scan_limit_mb * 1024 * 1024

    result_configuration {
      output_location = "s3://${module.reports.bucket_name}/${local.athena_prefix}"

      encryption_configuration {
        encryption_option = var.kms_key_arn == null ? "SSE_S3" : "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}
