data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  visibility_timeout = coalesce(var.visibility_timeout_seconds, 6 * var.consumer.timeout_seconds)
  processors = {
    metadata = "Facts about each upload: size, sha256, content type, lines and words of text"
    preview  = "The first preview_bytes of each text upload"
    gzip     = "A gzip copy of each upload"
  }
}

# S3 publishes to the topic as itself: an AWS managed SNS key cannot admit it, so the topic has a key
# of its own whose policy does (modules/kms-key).
module "topic_key" {
  source = "../../modules/kms-key"

  name = "${var.name}-uploads-topic"
  tags = var.tags
}

module "uploads" {
  source = "../../modules/bucket"

  name          = "${var.name}-uploads"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "outputs" {
  source = "../../modules/bucket"

  name          = "${var.name}-outputs"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

resource "aws_sns_topic" "uploads" {
  name              = "${var.name}-uploads"
  kms_master_key_id = module.topic_key.key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "uploads_topic" {
  statement {
    sid       = "OwnerManages"
    actions   = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic", "SNS:DeleteTopic"]
    resources = [aws_sns_topic.uploads.arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid       = "UploadsBucketPublishes"
    actions   = ["SNS:Publish"]
    resources = [aws_sns_topic.uploads.arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [module.uploads.bucket_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "uploads" {
  arn    = aws_sns_topic.uploads.arn
  policy = data.aws_iam_policy_document.uploads_topic.json
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = module.uploads.bucket_name

  topic {
    topic_arn     = aws_sns_topic.uploads.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.upload_prefix
  }

  depends_on = [aws_sns_topic_policy.uploads]
}

module "processor_queue" {
  source   = "../../modules/subscribed-queue"
  for_each = local.processors

  name                       = "${var.name}-${each.key}"
  topic_arn                  = aws_sns_topic.uploads.arn
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
}

# Each processor reads uploads and writes only under its own prefix of the output bucket.
module "processor" {
  source   = "../../modules/sqs-consumer"
  for_each = local.processors

  name                             = "${var.name}-${each.key}"
  description                      = each.value
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "pub_sub.handler.${each.key}"
  timeout                          = var.consumer.timeout_seconds
  queue_visibility_timeout_seconds = local.visibility_timeout
  memory_size                      = var.consumer.memory_mb
  queue_arn                        = module.processor_queue[each.key].queue_arn
  batch_size                       = var.consumer.batch_size
  maximum_concurrency              = var.consumer.maximum_concurrency
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    OUTPUT_BUCKET           = module.outputs.bucket_name
    PREVIEW_BYTES           = tostring(var.preview_bytes)
    POWERTOOLS_SERVICE_NAME = "${var.name}-${each.key}"
  }
  policy_statements = [
    { sid = "ReadUploads", actions = ["s3:GetObject", "s3:GetObjectVersion"], resources = ["${module.uploads.bucket_arn}/*"] },
    { sid = "WriteOwnOutputs", actions = ["s3:PutObject"], resources = ["${module.outputs.bucket_arn}/${each.key}/*"] },
  ]
}
