# Firehose archiving a Kinesis stream into a bucket, as its own role: it reads the stream, has an optional
# transform function clean every record, and writes GZIP objects under a time folder of records_prefix. A
# record the transform refuses, and every record of a batch the transform kept failing on, is written under
# failed_prefix with Firehose's reason: nothing is dropped silently. Delivery errors go to its log group.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  # Firehose adds no default time prefix to a prefix with expressions, so both name the time themselves.
  records_prefix = "${var.records_prefix}${var.time_folder}"
  failed_prefix  = "${var.failed_prefix}!{firehose:error-output-type}/${var.time_folder}"
  log_group_name = "/aws/kinesisfirehose/${var.name}-archive"
  # The AWS provider keeps no processor parameter at Firehose's default in its state (a perpetual diff
  # otherwise): only those that differ are sent.
  processor_parameters = var.transform == null ? {} : merge(
    { LambdaArn = "${var.transform.function_arn}:$LATEST" },
    var.transform.retries == 3 ? {} : { NumberOfRetries = tostring(var.transform.retries) },
    var.transform.buffer_size_mb == 1 ? {} : { BufferSizeInMBs = tostring(var.transform.buffer_size_mb) },
    var.transform.buffer_interval_seconds == 60 ? {} : { BufferIntervalInSeconds = tostring(var.transform.buffer_interval_seconds) },
  )
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
    kinesis_stream_arn = var.stream_arn
    role_arn           = aws_iam_role.firehose.arn
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = var.bucket_arn
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

    dynamic "processing_configuration" {
      for_each = var.transform == null ? [] : [local.processor_parameters]
      content {
        enabled = true

        processors {
          type = "Lambda"

          dynamic "parameters" {
            for_each = processing_configuration.value
            content {
              parameter_name  = parameters.key
              parameter_value = parameters.value
            }
          }
        }
      }
    }
  }

  # The role's policy must be in place before Firehose first reads the stream.
  depends_on = [aws_iam_role_policy.firehose]
}

# Firehose's own role: read the stream, invoke the transform, write the archive, log delivery errors.
data "aws_iam_policy_document" "firehose_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "firehose" {
  name               = "${var.name}-firehose"
  assume_role_policy = data.aws_iam_policy_document.firehose_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "firehose" {
  statement {
    sid       = "ReadStream"
    actions   = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards"]
    resources = [var.stream_arn]
  }
  dynamic "statement" {
    for_each = var.transform == null ? [] : [var.transform.function_arn]
    content {
      sid       = "Transform"
      actions   = ["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"]
      resources = [statement.value, "${statement.value}:*"]
    }
  }
  statement {
    sid       = "FindArchive"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [var.bucket_arn]
  }
  statement {
    sid       = "WriteArchive"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${var.bucket_arn}/${var.records_prefix}*", "${var.bucket_arn}/${var.failed_prefix}*"]
  }
  statement {
    sid       = "LogDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.firehose.arn}:log-stream:${aws_cloudwatch_log_stream.delivery.name}"]
  }
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "StreamAndArchiveKey"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]
      # Only as Kinesis decrypts the stream's records and S3 encrypts the archive's objects for it.
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["kinesis.${data.aws_region.current.name}.amazonaws.com", "s3.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "firehose" {
  name   = "least-privilege"
  role   = aws_iam_role.firehose.id
  policy = data.aws_iam_policy_document.firehose.json
}
