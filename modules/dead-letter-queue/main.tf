# Where failed messages and events wait for a person: kept as long as SQS allows, encrypted,
# and alarmed as soon as one arrives.

resource "aws_sqs_queue" "this" {
  name                              = var.name
  fifo_queue                        = var.fifo ? true : null
  content_based_deduplication       = var.fifo ? true : null
  message_retention_seconds         = 1209600 # the longest SQS allows: time to inspect and redrive
  sqs_managed_sse_enabled           = var.kms_key_arn == null ? true : null
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = var.kms_key_arn == null ? null : 300
  tags                              = var.tags
}

resource "aws_cloudwatch_metric_alarm" "not_empty" {
  alarm_name          = "${trimsuffix(var.name, ".fifo")}-not-empty"
  alarm_description   = "Messages in ${aws_sqs_queue.this.name}: ${var.gave_up}."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.this.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
