# A release changes files in the bucket; viewers would see the old ones until their TTL ends. Each change
# S3 reports invalidates its path at the edge (the root object's also "/"), asynchronously; an event the
# invalidator keeps failing on lands in the dead-letter queue after Lambda's retries.

module "invalidation_dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-invalidation-dlq"
  gave_up     = "Lambda gave up invalidating these site changes after the invalidator's retries"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "invalidator" {
  source = "../../modules/lambda-function"

  name         = "${var.name}-invalidator"
  description  = "Invalidates ${var.name}'s changed site files at the edge"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "site_invalidation.handler.handler"
  timeout      = 30
  async_invocation = {
    maximum_retry_attempts     = 2
    maximum_event_age_seconds  = 3600
    on_failure_destination_arn = module.invalidation_dlq.queue_arn
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    DISTRIBUTION_ID = aws_cloudfront_distribution.site.id
    ROOT_OBJECT     = aws_cloudfront_distribution.site.default_root_object
  }
  policy_statements = [
    { sid = "InvalidateThisDistribution", actions = ["cloudfront:CreateInvalidation"], resources = [aws_cloudfront_distribution.site.arn] },
  ]
}

resource "aws_lambda_permission" "site_changes" {
  statement_id   = "S3SiteChanges"
  action         = "lambda:InvokeFunction"
  function_name  = module.invalidator.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = module.site.bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "site_changes" {
  bucket = module.site.bucket_name

  lambda_function {
    lambda_function_arn = module.invalidator.function_arn
    events              = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]
  }

  depends_on = [aws_lambda_permission.site_changes]
}
