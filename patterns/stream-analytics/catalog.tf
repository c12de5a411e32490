# The archive as a table Athena queries: a Glue table over readings/, one partition per day projected from
# the folder names (no crawler, no partitions to add), and a workgroup that writes results, encrypted, where
# it says and stops a query scanning more than it allows.

resource "aws_glue_catalog_database" "analytics" {
  name        = replace("${var.name}_analytics", "-", "_")
  description = "${var.name}'s readings archive"
  tags        = var.tags
}

resource "aws_glue_catalog_table" "readings" {
  name          = "readings"
  database_name = aws_glue_catalog_database.analytics.name
  description   = "Every reading put on ${var.name}'s stream, as it came (JSON lines, GZIP), a partition per day"
  table_type    = "EXTERNAL_TABLE"

  parameters = {
    "classification"              = "json"
    "compressionType"             = "gzip"
    "projection.enabled"          = "true"
    "projection.dt.type"          = "date"
    "projection.dt.format"        = "yyyy-MM-dd"
    "projection.dt.range"         = "NOW-${var.queryable_years}YEARS,NOW"
    "projection.dt.interval"      = "1"
    "projection.dt.interval.unit" = "DAYS"
    "storage.location.template"   = "s3://${module.archive.bucket_name}/${local.records_prefix}dt=$${dt}/"
  }

  partition_keys {
    name = "dt"
    type = "string"
  }

  storage_descriptor {
    location      = "s3://${module.archive.bucket_name}/${local.records_prefix}"
    input_format  = "org.apache.hadoop.mapred.TextInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"

    ser_de_info {
      serialization_library = "org.openx.data.jsonserde.JsonSerDe"
      # Firehose's check keeps what is not a reading out; should a line still be broken JSON, it reads as a row
      # of NULLs instead of failing every query over its day.
      parameters = { "ignore.malformed.json" = "true" }
    }

    columns {
      name = "sensor"
      type = "string"
    }
    columns {
      name = "value"
      type = "double"
    }
  }
}

module "results" {
  source = "../../modules/bucket"

  name          = "${var.name}-query-results"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

resource "aws_athena_workgroup" "analytics" {
  name          = "${var.name}-analytics"
  description   = "Queries over ${var.name}'s readings archive"
  force_destroy = true
  tags          = var.tags

  configuration {
    enforce_workgroup_configuration    = true
    publish_cloudwatch_metrics_enabled = true
    bytes_scanned_cutoff_per_query     = var.query_scan_limit_mb * 1024 * 1024

    result_configuration {
      output_location = "s3://${module.results.bucket_name}/"

      encryption_configuration {
        encryption_option = var.kms_key_arn == null ? "SSE_S3" : "SSE_KMS"
        kms_key_arn       = var.kms_key_arn
      }
    }
  }
}

# What an analyst's role needs to query the archive in this workgroup, and nothing more.
data "aws_iam_policy_document" "analyst" {
  statement {
    sid       = "QueryInWorkgroup"
    actions   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup"]
    resources = [aws_athena_workgroup.analytics.arn]
  }
  statement {
    sid     = "ReadCatalog"
    actions = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"]
    resources = [
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:catalog",
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:database/${aws_glue_catalog_database.analytics.name}",
      "arn:${data.aws_partition.current.partition}:glue:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${aws_glue_catalog_database.analytics.name}/${aws_glue_catalog_table.readings.name}",
    ]
  }
  statement {
    sid       = "ReadArchive"
    actions   = ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"]
    resources = [module.archive.bucket_arn, "${module.archive.bucket_arn}/${local.records_prefix}*"]
  }
  statement {
    sid       = "WriteResults"
    actions   = ["s3:PutObject", "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:AbortMultipartUpload", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts"]
    resources = [module.results.bucket_arn, "${module.results.bucket_arn}/*"]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "ArchiveAndResultsKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}
