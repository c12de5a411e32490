# The breaker's state: one item per guarded service, changed only by conditional writes.
module "circuits" {
  source = "../../modules/table"

  name                   = "${var.name}-circuits"
  hash_key               = "circuit"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "guard" {
  source = "../../modules/lambda-function"

  name        = "${var.name}-guard"
  description = "Calls ${var.name}'s service through a circuit breaker"
  # The longest call plus the breaker's own reads and writes.
  timeout            = ceil(var.breaker.call_timeout_ms / 1000) + 5
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "circuit_breaker.handler.handler"
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    CIRCUITS_TABLE          = module.circuits.table_name
    CIRCUIT_NAME            = var.name
    SERVICE_URL             = var.service_url
    CALL_TIMEOUT_MS         = tostring(var.breaker.call_timeout_ms)
    FAILURE_THRESHOLD       = tostring(var.breaker.failure_threshold)
    FAILURE_WINDOW_SECONDS  = tostring(var.breaker.failure_window_seconds)
    OPEN_SECONDS            = tostring(var.breaker.open_seconds)
    MAX_OPEN_SECONDS        = tostring(var.breaker.max_open_seconds)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "BreakerState", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem"], resources = [module.circuits.table_arn] },
  ]
}

resource "aws_cloudwatch_metric_alarm" "opened" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-breaker-opened"
  alarm_description   = "The breaker in front of ${var.service_url} opened: the service is failing."
  namespace           = "ServerlessPatterns" # Powertools Metrics: the function's namespace and service
  metric_name         = "BreakerOpened"
  dimensions          = { service = var.name }
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
