# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_sqs_queue_policy.ingested
  to   = aws_sqs_queue_policy.ingested[0]
}

moved {
  from = aws_s3_bucket_notification.ingested
  to   = aws_s3_bucket_notification.ingested[0]
}
