# A release changes files in the bucket; viewers would see the old ones until their TTL ends. S3 reports each
# change to a queue; the invalidator takes what gathered within the batching window and invalidates those
# paths in one request (a release of many files is one invalidation, and past `max_paths` one "/*"). A
# message it cannot read is retried, then kept in the dead-letter queue; an invalidation CloudFront refuses
# (throttled, too many in progress) retries the whole batch.

locals {
  invalidation_retry_after = coalesce(var.invalidator.retry_after_seconds, 6 * local.invalidator_timeout)
  invalidator_timeout      = 30
}

module "changes" {
  source = "../../modules/queue"

  name                         = "${var.name}-site-changes"
  visibility_timeout_seconds   = local.invalidation_retry_after
  max_receive_count            = var.invalidator.max_receive_count
  oldest_message_alarm_seconds = local.invalidation_retry_after * var.invalidator.max_receive_count + 300
  kms_key_arn                  = var.kms_key_arn
  alarms                       = var.alarms
  tags                         = var.tags
}

data "aws_iam_policy_document" "changes" {
  statement {
    sid       = "S3SiteChanges"
    actions   = ["sqs:SendMessage"]
    resources = [module.changes.queue_arn]
    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [module.site.bucket_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sqs_queue_policy" "changes" {
  queue_url = module.changes.queue_url
  policy    = data.aws_iam_policy_document.changes.json
}

resource "aws_s3_bucket_notification" "site_changes" {
  bucket = module.site.bucket_name

  queue {
    queue_arn = module.changes.queue_arn
    events    = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
  }

  depends_on = [aws_sqs_queue_policy.changes]
}

module "invalidator" {
  source = "../../modules/sqs-consumer"

  name                             = "${var.name}-invalidator"
  description                      = "Invalidates ${var.name}'s changed site files at the edge"
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "site_invalidation.handler.handler"
  timeout                          = local.invalidator_timeout
  queue_arn                        = module.changes.queue_arn
  queue_visibility_timeout_seconds = local.invalidation_retry_after
  batch_size                       = 100
  batching_window_seconds          = var.invalidator.batching_window_seconds
  maximum_concurrency              = 2
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    DISTRIBUTION_ID = aws_cloudfront_distribution.site.id
    ROOT_OBJECT     = aws_cloudfront_distribution.site.default_root_object
    MAX_PATHS       = tostring(var.invalidator.max_paths)
  }
  policy_statements = [
    { sid = "InvalidateThisDistribution", actions = ["cloudfront:CreateInvalidation"], resources = [aws_cloudfront_distribution.site.arn] },
  ]
}
