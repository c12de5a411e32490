# P25 streamer: clients post readings to the API, which puts each one on a Kinesis stream itself (no
# function on the write path). Firehose reads the stream, has the transform function clean every record
# (or drop it, or mark it failed), and writes GZIP objects of clean JSON lines to the archive bucket. A
# record the transform refuses, and every record of a batch the transform kept failing on, is written
# under the failed prefix with Firehose's reason: nothing is dropped silently.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # Firehose adds no default time prefix to a prefix with expressions, so both name the day themselves.
  records_prefix = "${var.records_prefix}!{timestamp:yyyy/MM/dd}/"
  failed_prefix  = "${var.failed_prefix}!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"
  log_group_name = "/aws/kinesisfirehose/${var.name}-archive"
  processor_parameters = merge(
    { LambdaArn = "${module.transform.function_arn}:$LATEST" },
    var.transform.retries == 3 ? {} : { NumberOfRetries = tostring(var.transform.retries) },
    var.transform.buffer_size_mb == 1 ? {} : { BufferSizeInMBs = tostring(var.transform.buffer_size_mb) },
    var.transform.buffer_interval_seconds == 60 ? {} : { BufferIntervalInSeconds = tostring(var.transform.buffer_interval_seconds) },
  )
}

resource "aws_kinesis_stream" "readings" {
  name             = "${var.name}-readings"
  retention_period = var.stream.retention_hours
  shard_count      = var.stream.on_demand ? null : var.stream.shards
  encryption_type  = "KMS"
  kms_key_id       = coalesce(var.kms_key_arn, "alias/aws/kinesis")
  tags             = var.tags

  stream_mode_details {
    stream_mode = var.stream.on_demand ? "ON_DEMAND" : "PROVISIONED"
  }
}

module "archive" {
  source = "../../modules/bucket"

  name          = "${var.name}-archive"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "transform" {
  source = "../../modules/lambda-function"

  name         = "${var.name}-transform"
  description  = "Cleans ${var.name}'s readings for the archive; refuses what is not a reading"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "streamer.handler.handler"
  # Firehose waits at most 5 minutes for a transform.
  timeout            = var.transform.timeout_seconds
  memory_size        = var.transform.memory_size
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    POWERTOOLS_SERVICE_NAME = var.name
  }
  # It reads nothing and writes nothing: Firehose hands it the records and takes back the answer.
  policy_statements = []
}

resource "aws_cloudwatch_log_group" "firehose" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "delivery" {
  name           = "DestinationDelivery"
  log_group_name = aws_cloudwatch_log_group.firehose.name
}

resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = "${var.name}-archive"
  destination = "extended_s3"
  tags        = var.tags

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.readings.arn
    role_arn           = aws_iam_role.firehose.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = module.archive.bucket_arn
    prefix              = local.records_prefix
    error_output_prefix = local.failed_prefix
    buffering_size      = var.buffering.size_mb
    buffering_interval  = var.buffering.interval_seconds
    compression_format  = "GZIP"
    kms_key_arn         = var.kms_key_arn

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose.name
      log_stream_name = aws_cloudwatch_log_stream.delivery.name
    }

    processing_configuration {
      enabled = true

      processors {
        type = "Lambda"

        # The AWS provider keeps no parameter at Firehose's default in its state (a perpetual diff otherwise):
        # only those that differ are sent.
        dynamic "parameters" {
          for_each = local.processor_parameters
          content {
            parameter_name  = parameters.key
            parameter_value = parameters.value
          }
        }
      }
    }
  }

  # The role's policy must be in place before Firehose first reads the stream.
  depends_on = [aws_iam_role_policy.firehose]
}
