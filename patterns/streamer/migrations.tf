# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).
# Firehose's archiving moved into modules/stream-archive (shared with P26): the delivery stream, its role,
# logs and alarms are kept, not replaced.
moved {
  from = aws_kinesis_firehose_delivery_stream.archive
  to   = module.firehose.aws_kinesis_firehose_delivery_stream.archive
}

moved {
  from = aws_iam_role.firehose
  to   = module.firehose.aws_iam_role.firehose
}

moved {
  from = aws_iam_role_policy.firehose
  to   = module.firehose.aws_iam_role_policy.firehose
}

moved {
  from = aws_cloudwatch_log_group.firehose
  to   = module.firehose.aws_cloudwatch_log_group.firehose
}

moved {
  from = aws_cloudwatch_log_stream.delivery
  to   = module.firehose.aws_cloudwatch_log_stream.delivery
}

moved {
  from = aws_cloudwatch_metric_alarm.reading_behind
  to   = module.firehose.aws_cloudwatch_metric_alarm.reading_behind
}

moved {
  from = aws_cloudwatch_metric_alarm.freshness
  to   = module.firehose.aws_cloudwatch_metric_alarm.freshness
}

moved {
  from = aws_cloudwatch_metric_alarm.transform_failing
  to   = module.firehose.aws_cloudwatch_metric_alarm.transform_failing
}
