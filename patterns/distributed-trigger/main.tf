# The service's own topic: subscribers depend on it, never on the event source behind it.
resource "aws_sns_topic" "notifications" {
  name              = "${var.name}-notifications"
  kms_master_key_id = coalesce(var.kms_key_arn, "alias/aws/sns")
  tags              = var.tags
}

# What the trigger could not turn into a notification (after Lambda's retries), and what
# EventBridge could not deliver to the trigger at all.
module "trigger_dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-trigger-dlq"
  gave_up     = "the trigger failed on these source events after its retries"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

data "aws_iam_policy_document" "trigger_dlq" {
  statement {
    sid       = "UndeliveredFromTheRule"
    actions   = ["sqs:SendMessage"]
    resources = [module.trigger_dlq.queue_arn]
    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.source.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "trigger_dlq" {
  queue_url = module.trigger_dlq.queue_url
  policy    = data.aws_iam_policy_document.trigger_dlq.json
}

module "trigger" {
  source = "../../modules/lambda-function"

  name                   = "${var.name}-trigger"
  description            = "Turns ${var.name}'s source events into notifications on its topic"
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  handler                = "distributed_trigger.handler.handler"
  timeout                = var.trigger.timeout_seconds
  dead_letter_target_arn = module.trigger_dlq.queue_arn
  async_invocation = {
    maximum_retry_attempts    = var.trigger.maximum_retry_attempts
    maximum_event_age_seconds = var.trigger.maximum_event_age_seconds
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    TOPIC_ARN               = aws_sns_topic.notifications.arn
    SERVICE_NAME            = var.service_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Notify", actions = ["sns:Publish"], resources = [aws_sns_topic.notifications.arn] },
  ]
}

resource "aws_cloudwatch_event_rule" "source" {
  name           = "${var.name}-source"
  description    = "Source events of ${var.name}"
  event_bus_name = var.event_bus_name
  event_pattern  = jsonencode(var.event_pattern)
  tags           = var.tags
}

resource "aws_cloudwatch_event_target" "trigger" {
  rule           = aws_cloudwatch_event_rule.source.name
  event_bus_name = var.event_bus_name
  target_id      = "trigger"
  arn            = module.trigger.function_arn

  retry_policy {
    maximum_retry_attempts       = var.trigger.maximum_retry_attempts
    maximum_event_age_in_seconds = var.trigger.maximum_event_age_seconds
  }

  dead_letter_config {
    arn = module.trigger_dlq.queue_arn
  }
}

resource "aws_lambda_permission" "rule" {
  statement_id  = "FromTheSourceRule"
  action        = "lambda:InvokeFunction"
  function_name = module.trigger.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.source.arn
}

# Each subscribing service buffers the notifications it wants in its own queue.
module "subscriber" {
  source   = "../../modules/subscribed-queue"
  for_each = var.subscribers

  name                      = "${var.name}-${each.key}"
  topic_arn                 = aws_sns_topic.notifications.arn
  filter_policy             = each.value.event_types == null ? null : { eventType = each.value.event_types }
  message_retention_seconds = each.value.retention_seconds
  kms_key_arn               = var.kms_key_arn
  alarms                    = var.alarms
  tags                      = var.tags
}
