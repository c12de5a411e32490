# P16 event-driven processing: S3 invokes the processor for every upload under the input prefix; the
# processor writes a report to the output bucket. An upload that can never be processed is recorded
# under the failed prefix of the output bucket with the reason; an event the processor keeps failing on
# (S3 unreachable, access denied) lands in the dead-letter queue after Lambda's retries. The processor
# may not write to the input bucket: its own output can never trigger it again.

data "aws_caller_identity" "current" {}

module "input" {
  source = "../../modules/bucket"

  name          = "${var.name}-input"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "output" {
  source = "../../modules/bucket"

  name          = "${var.name}-output"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-dlq"
  gave_up     = "Lambda gave up on these upload events after the processor's retries"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "processor" {
  source = "../../modules/lambda-function"

  name         = "${var.name}-processor"
  description  = "Turns ${var.name}'s uploads into reports"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "event_processing.handler.handler"
  timeout      = var.processor.timeout_seconds
  memory_size  = var.processor.memory_size
  async_invocation = {
    maximum_retry_attempts     = var.processor.maximum_retry_attempts
    maximum_event_age_seconds  = var.processor.maximum_event_age_seconds
    on_failure_destination_arn = module.dlq.queue_arn
  }
  reserved_concurrent_executions = var.processor.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    OUTPUT_BUCKET = module.output.bucket_name
    INPUT_PREFIX  = var.input_prefix
    REPORT_PREFIX = var.report_prefix
    FAILED_PREFIX = var.failed_prefix
    MAX_BYTES     = tostring(var.processor.max_bytes)
  }
  policy_statements = [
    { sid = "ReadUploads", actions = ["s3:GetObject", "s3:GetObjectVersion"], resources = ["${module.input.bucket_arn}/${var.input_prefix}*"] },
    { sid = "WriteReportsAndFailures", actions = ["s3:PutObject"], resources = ["${module.output.bucket_arn}/${var.report_prefix}*", "${module.output.bucket_arn}/${var.failed_prefix}*"] },
  ]
}

resource "aws_lambda_permission" "uploads" {
  statement_id   = "S3Uploads"
  action         = "lambda:InvokeFunction"
  function_name  = module.processor.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = module.input.bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = module.input.bucket_name

  lambda_function {
    lambda_function_arn = module.processor.function_arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.input_prefix
    filter_suffix       = var.input_suffix
  }

  depends_on = [aws_lambda_permission.uploads]
}

# What an uploader needs, and nothing more: attach it to the uploader's role.
data "aws_iam_policy_document" "uploader" {
  statement {
    sid       = "Upload"
    actions   = ["s3:PutObject"]
    resources = ["${module.input.bucket_arn}/${var.input_prefix}*"]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "BucketKey"
      actions   = ["kms:GenerateDataKey"]
      resources = [statement.value]
    }
  }
}
