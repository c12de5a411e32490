# What an operator of the database wants to hear about, where alarms are enabled: a busy CPU, storage
# running out, connections nearing the instance's limit, and a proxy that cannot reach its database.

locals {
  database_alarms = var.alarms.enabled ? {
    cpu = {
      metric      = "CPUUtilization", statistic = "Average", comparison = "GreaterThanOrEqualToThreshold"
      threshold   = 80, periods = 3
      description = "CPU of ${var.name} at 80 % or more for three periods: queries outgrow the instance class."
    }
    free-storage = {
      metric      = "FreeStorageSpace", statistic = "Minimum", comparison = "LessThanOrEqualToThreshold"
      threshold   = var.settings.allocated_storage_gb * 1073741824 / 10, periods = 1
      description = "${var.name} has a tenth of its storage left: grow allocated_storage_gb before writes fail."
    }
    connections = {
      metric      = "DatabaseConnections", statistic = "Maximum", comparison = "GreaterThanOrEqualToThreshold"
      threshold   = var.connections_alarm_threshold, periods = 1
      description = "${var.name} holds ${var.connections_alarm_threshold} connections or more: near its max_connections (a proxy pools them)."
    }
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "database" {
  for_each = local.database_alarms

  alarm_name          = "${var.name}-${each.key}"
  alarm_description   = each.value.description
  namespace           = "AWS/RDS"
  metric_name         = each.value.metric
  dimensions          = { DBInstanceIdentifier = aws_db_instance.this.identifier }
  statistic           = each.value.statistic
  period              = var.alarms.period_seconds
  evaluation_periods  = each.value.periods
  threshold           = each.value.threshold
  comparison_operator = each.value.comparison
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}

# The proxy serves only while it reaches its target: below 100 % its clients are refused.
resource "aws_cloudwatch_metric_alarm" "proxy_availability" {
  count = var.alarms.enabled && var.settings.proxy ? 1 : 0

  alarm_name          = "${var.name}-proxy-availability"
  alarm_description   = "The RDS Proxy of ${var.name} could not reach its database: check the target's health (DescribeDBProxyTargets)."
  namespace           = "AWS/RDS"
  metric_name         = "AvailabilityPercentage"
  dimensions          = { ProxyName = aws_db_proxy.this[0].name, TargetGroup = "default", TargetRole = "READ_WRITE" }
  statistic           = "Minimum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = 100
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
