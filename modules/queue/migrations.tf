# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_sqs_queue.dlq
  to   = module.dlq.aws_sqs_queue.this
}

moved {
  from = aws_cloudwatch_metric_alarm.dlq_not_empty
  to   = module.dlq.aws_cloudwatch_metric_alarm.not_empty
}
