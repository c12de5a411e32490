# A DynamoDB table with the defaults every pattern wants: on-demand billing,
# encryption at rest (AWS managed key, or the customer managed key given),
# point-in-time recovery and deletion protection as the environment decides.
resource "aws_dynamodb_table" "this" {
  #checkov:skip=CKV_AWS_119: encrypted with the AWS managed key unless kms_key_arn is given (prod passes a customer managed key)
  #checkov:skip=CKV_AWS_28: point_in_time_recovery is the caller's choice (on by default; off only for tables of expiring records)
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = var.hash_key
  range_key                   = var.range_key
  deletion_protection_enabled = var.deletion_protection
  stream_enabled              = var.stream_view_type != null
  stream_view_type            = var.stream_view_type
  tags                        = var.tags

  attribute {
    name = var.hash_key
    type = "S"
  }

  dynamic "attribute" {
    for_each = var.range_key == null ? [] : [var.range_key]
    content {
      name = attribute.value
      type = "S"
    }
  }

  dynamic "ttl" {
    for_each = var.ttl_attribute == null ? [] : [var.ttl_attribute]
    content {
      attribute_name = ttl.value
      enabled        = true
    }
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }
}

# On-demand tables still throttle (a hot partition, a sudden peak over twice the previous one).
resource "aws_cloudwatch_metric_alarm" "throttles" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-table-throttles"
  alarm_description   = "${var.name} throttled reads or writes: a hot key or a peak beyond what on-demand absorbs."
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  threshold           = 1
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags

  metric_query {
    id          = "throttled"
    expression  = "FILL(reads, 0) + FILL(writes, 0)"
    label       = "Throttled reads and writes"
    return_data = true
  }

  dynamic "metric_query" {
    for_each = { reads = "ReadThrottleEvents", writes = "WriteThrottleEvents" }
    content {
      id = metric_query.key
      metric {
        namespace   = "AWS/DynamoDB"
        metric_name = metric_query.value
        dimensions  = { TableName = aws_dynamodb_table.this.name }
        stat        = "Sum"
        period      = var.alarms.period_seconds
      }
    }
  }
}
