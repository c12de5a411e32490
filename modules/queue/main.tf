locals {
  suffix = var.fifo ? ".fifo" : ""
}

module "dlq" {
  source = "../dead-letter-queue"

  name        = "${var.name}-dlq${local.suffix}"
  fifo        = var.fifo
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

resource "aws_sqs_queue" "this" {
  name                              = "${var.name}${local.suffix}"
  fifo_queue                        = var.fifo ? true : null
  content_based_deduplication       = var.fifo ? true : null
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = var.message_retention_seconds
  sqs_managed_sse_enabled           = var.kms_key_arn == null ? true : null
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = var.kms_key_arn == null ? null : 300
  tags                              = var.tags

  redrive_policy = jsonencode({
    deadLetterTargetArn = module.dlq.queue_arn
    maxReceiveCount     = var.max_receive_count
  })
}

# Work waiting too long: the consumers stopped or cannot keep up (SQS samples the age every minute).
resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${aws_sqs_queue.this.name}-oldest-message"
  alarm_description   = "A message of ${aws_sqs_queue.this.name} has waited over ${var.oldest_message_alarm_seconds} s: its consumers stopped or fall behind."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.this.name }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = var.oldest_message_alarm_seconds
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
