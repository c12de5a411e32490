# The function's errors and throttles, alarmed when `alarms.enabled`.

resource "aws_cloudwatch_metric_alarm" "errors" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-errors"
  alarm_description   = "${var.name} raised errors: see ${local.log_group_name}."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = var.alarms.errors_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-throttles"
  alarm_description   = "${var.name} was throttled: raise its reserved concurrency or slow its callers."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
