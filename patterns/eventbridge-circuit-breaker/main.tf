# Failures travel as events: the guard publishes each failed call on the breaker's bus, a rule hands
# it to the recorder, which keeps it for the window; the guard counts the recent ones before calling.

resource "aws_cloudwatch_event_bus" "failures" {
  name = "${var.name}-failures"
  tags = var.tags
}

module "failures" {
  source = "../../modules/table"

  # Failures expire after the window (TTL): a backup of them restores nothing of value.
  name                   = "${var.name}-failures"
  hash_key               = "service"
  range_key              = "occurredAt"
  ttl_attribute          = "expiresAt"
  point_in_time_recovery = false
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

# What the recorder could not record after Lambda's retries, and what the rule could not deliver.
module "recorder_dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-recorder-dlq"
  gave_up     = "these failure events were never recorded (the breaker opened later than it should have)"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

data "aws_iam_policy_document" "recorder_dlq" {
  statement {
    sid       = "UndeliveredFromTheRule"
    actions   = ["sqs:SendMessage"]
    resources = [module.recorder_dlq.queue_arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.failed_calls.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "recorder_dlq" {
  queue_url = module.recorder_dlq.queue_url
  policy    = data.aws_iam_policy_document.recorder_dlq.json
}

locals {
  common_environment = {
    FAILURES_TABLE          = module.failures.table_name
    FAILURE_WINDOW_SECONDS  = tostring(var.breaker.failure_window_seconds)
    FAILURE_THRESHOLD       = tostring(var.breaker.failure_threshold)
    POWERTOOLS_SERVICE_NAME = var.name
  }
}

module "guard" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-guard"
  description        = "Calls ${var.name}'s service unless it failed often in the last window"
  timeout            = ceil(var.breaker.call_timeout_ms / 1000) + 5
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "eventbridge_breaker.handler.guard"
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = merge(local.common_environment, {
    SERVICE_URL     = var.service_url
    SERVICE_NAME    = var.name
    EVENT_BUS_NAME  = aws_cloudwatch_event_bus.failures.name
    CALL_TIMEOUT_MS = tostring(var.breaker.call_timeout_ms)
  })
  policy_statements = [
    { sid = "CountRecentFailures", actions = ["dynamodb:Query"], resources = [module.failures.table_arn] },
    { sid = "PublishFailures", actions = ["events:PutEvents"], resources = [aws_cloudwatch_event_bus.failures.arn] },
  ]
}

module "recorder" {
  source = "../../modules/lambda-function"

  name                   = "${var.name}-recorder"
  description            = "Records ${var.name}'s failure events for the window"
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  handler                = "eventbridge_breaker.handler.recorder"
  dead_letter_target_arn = module.recorder_dlq.queue_arn
  async_invocation = {
    maximum_retry_attempts    = 2
    maximum_event_age_seconds = var.breaker.failure_window_seconds
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment        = local.common_environment
  policy_statements = [
    { sid = "RecordFailures", actions = ["dynamodb:PutItem"], resources = [module.failures.table_arn] },
  ]
}

resource "aws_cloudwatch_event_rule" "failed_calls" {
  name           = "${var.name}-failed-calls"
  description    = "Failed calls to ${var.name}'s service"
  event_bus_name = aws_cloudwatch_event_bus.failures.name
  event_pattern = jsonencode({
    source        = ["serverless-patterns.circuit-breaker"]
    "detail-type" = ["ServiceCallFailed"]
  })
  tags = var.tags
}

resource "aws_cloudwatch_event_target" "recorder" {
  rule           = aws_cloudwatch_event_rule.failed_calls.name
  event_bus_name = aws_cloudwatch_event_bus.failures.name
  target_id      = "recorder"
  arn            = module.recorder.function_arn

  retry_policy {
    maximum_retry_attempts       = 3
    maximum_event_age_in_seconds = var.breaker.failure_window_seconds
  }

  dead_letter_config {
    arn = module.recorder_dlq.queue_arn
  }
}

resource "aws_lambda_permission" "rule" {
  statement_id  = "FromTheFailedCallsRule"
  action        = "lambda:InvokeFunction"
  function_name = module.recorder.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.failed_calls.arn
}
