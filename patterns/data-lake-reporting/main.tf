# P27 data-lake reporting: files of sales land in the ingestion bucket under dt=YYYY-MM-DD/; S3 tells a queue
# (and/or a schedule asks it for a day: schedule.tf); the reporter starts an Athena query of that day over the Glue table (catalog.tf) in the workgroup, whose
# results go to the reporting bucket, and keeps the day's report under a stable name there. A query that
# fails (bad data, a day outside the table's range, the scan limit) is recorded there with its state and
# reason, and its message goes back to the queue for a retry, then to the dead-letter queue: not lost.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Six times the function's timeout by default, as Lambda advises for a queue it polls.
  visibility_timeout = coalesce(var.retry_after_seconds, var.reporter.timeout_seconds * 6)
  athena_prefix      = "athena/"
  report_prefix      = "reports/"
  failure_prefix     = "failures/"
}

module "ingest" {
  source = "../../modules/bucket"

  name          = "${var.name}-ingest"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "reports" {
  source = "../../modules/bucket"

  name          = "${var.name}-reports"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "ingested" {
  source = "../../modules/queue"

  name                       = "${var.name}-ingested"
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  # A day being retried is not a stalled reporter: alarm only past its last retry.
  oldest_message_alarm_seconds = local.visibility_timeout * var.max_receive_count + 300
  kms_key_arn                  = var.kms_key_arn
  alarms                       = var.alarms
  tags                         = var.tags
}

data "aws_iam_policy_document" "ingested" {
  statement {
    sid       = "S3Notifications"
    actions   = ["sqs:SendMessage"]
    resources = [module.ingested.queue_arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [module.ingest.bucket_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "ingested" {
  count = var.report_triggers.on_upload ? 1 : 0

  queue_url = module.ingested.queue_url
  policy    = data.aws_iam_policy_document.ingested.json
}

resource "aws_s3_bucket_notification" "ingested" {
  count = var.report_triggers.on_upload ? 1 : 0

  bucket = module.ingest.bucket_name

  queue {
    queue_arn     = module.ingested.queue_arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.ingest_prefix
    filter_suffix = ".csv"
  }

  depends_on = [aws_sqs_queue_policy.ingested]
}

module "reporter" {
  source = "../../modules/sqs-consumer"

  name                             = "${var.name}-reporter"
  description                      = "Reports each ingested day of ${var.name}'s sales with an Athena query"
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "data_lake_reporting.handler.handler"
  timeout                          = var.reporter.timeout_seconds
  memory_size                      = var.reporter.memory_size
  queue_arn                        = module.ingested.queue_arn
  queue_visibility_timeout_seconds = local.visibility_timeout
  batch_size                       = var.reporter.batch_size
  maximum_concurrency              = var.reporter.maximum_concurrency
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    WORKGROUP               = aws_athena_workgroup.reporting.name
    DATABASE                = aws_glue_catalog_database.lake.name
    TABLE                   = aws_glue_catalog_table.sales.name
    REPORT_BUCKET           = module.reports.bucket_name
    REPORT_PREFIX           = local.report_prefix
    FAILURE_PREFIX          = local.failure_prefix
    POWERTOOLS_SERVICE_NAME = var.name
  }
  # Athena reads the catalog and the files, and writes results, with the caller's permissions.
  # (The key's use through S3 and SQS, as Athena writes results with the reporter's permissions, comes with
  # modules/lambda-function.)
  policy_statements = [
    { sid = "QueryInWorkgroup", actions = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"], resources = [aws_athena_workgroup.reporting.arn] },
    { sid = "ReadCatalog", actions = ["glue:GetDatabase", "glue:GetTable", "glue:GetPartitions"], resources = local.catalog_arns },
    { sid = "ListIngested", actions = ["s3:ListBucket", "s3:GetBucketLocation"], resources = [module.ingest.bucket_arn] },
    { sid = "ReadIngested", actions = ["s3:GetObject"], resources = ["${module.ingest.bucket_arn}/${var.ingest_prefix}*"] },
    { sid = "FindResults", actions = ["s3:ListBucket", "s3:GetBucketLocation"], resources = [module.reports.bucket_arn] },
    { sid = "WriteResults", actions = ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"], resources = ["${module.reports.bucket_arn}/${local.athena_prefix}*"] },
    { sid = "KeepReports", actions = ["s3:PutObject", "s3:GetObject"], resources = ["${module.reports.bucket_arn}/${local.report_prefix}*", "${module.reports.bucket_arn}/${local.failure_prefix}*"] },
  ]
}

# What an uploader needs, and nothing more: attach it to the uploader's role.
data "aws_iam_policy_document" "uploader" {
  statement {
    sid       = "Upload"
    actions   = ["s3:PutObject"]
    resources = ["${module.ingest.bucket_arn}/${var.ingest_prefix}*"]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid = "BucketKey"
      # Decrypt too: SDKs upload large files in parts, and S3 needs both for a multipart upload under the key.
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}
