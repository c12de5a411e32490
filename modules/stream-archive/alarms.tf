# With alarms on: Firehose falling behind the stream (records would expire from it unread), the archive
# falling behind (the oldest record waiting longer than the buffering allows), and the transform failing.
resource "aws_cloudwatch_metric_alarm" "reading_behind" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-reading-behind"
  alarm_description   = "${var.name}: Firehose reads the stream more than a quarter of its retention behind; unread records expire after ${var.stream_retention_hours} h (reading throttled or refused, the transform too slow)"
  namespace           = "AWS/Firehose"
  metric_name         = "KinesisMillisBehindLatest"
  dimensions          = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = var.stream_retention_hours * 3600 * 1000 / 4
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "freshness" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-archive-behind"
  alarm_description   = "${var.name}: records wait longer than the buffering allows before they reach the archive (S3 refusing writes, or the transform failing)"
  namespace           = "AWS/Firehose"
  metric_name         = "DeliveryToS3.DataFreshness"
  dimensions          = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = var.buffering.interval_seconds + (var.transform == null ? 0 : var.transform.buffer_interval_seconds) + 900
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "transform_failing" {
  count = var.alarms.enabled && var.transform != null ? 1 : 0

  alarm_name          = "${var.name}-transform-failing"
  alarm_description   = "${var.name}: more than a tenth of Firehose's calls to the transform failed for two periods; a batch whose retries all fail goes whole to the failed prefix"
  namespace           = "AWS/Firehose"
  metric_name         = "ExecuteProcessing.Success"
  dimensions          = { DeliveryStreamName = aws_kinesis_firehose_delivery_stream.archive.name }
  statistic           = "Average"
  period              = var.alarms.period_seconds
  evaluation_periods  = 2
  datapoints_to_alarm = 2
  threshold           = 0.9
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
