locals {
  # One function per business operation, each with only the table actions it needs; every one
  # runs the same Powertools resolver, and API Gateway sends each only its own route.
  operations = {
    create = { method = "POST", resource = "items", actions = ["dynamodb:PutItem"] }
    list   = { method = "GET", resource = "items", actions = ["dynamodb:Scan"] }
    get    = { method = "GET", resource = "item", actions = ["dynamodb:GetItem"] }
    delete = { method = "DELETE", resource = "item", actions = ["dynamodb:DeleteItem"] }
  }
  api_resources = {
    items = { id = module.api.resource_ids["/items"], path = "/items" }
    item  = { id = module.api.resource_ids["/items/{id}"], path = "/items/{id}" }
  }
}

module "items" {
  source = "../../modules/table"

  name                   = "${var.name}-items"
  hash_key               = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "function" {
  source   = "../../modules/lambda-function"
  for_each = local.operations

  name         = "${var.name}-${each.key}"
  description  = "${each.value.method} /${each.value.resource == "item" ? "items/{id}" : "items"} of ${var.name}"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "simple_web_service.handler.handler"
  environment = {
    TABLE_NAME                  = module.items.table_name
    POWERTOOLS_SERVICE_NAME     = var.name
    POWERTOOLS_LOGGER_LOG_EVENT = var.log_events ? "true" : "false"
  }
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  policy_statements = [{
    sid       = "Items${title(each.key)}"
    actions   = each.value.actions
    resources = [module.items.table_arn]
  }]
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-api-5xx"
  alarm_description   = "The ${var.name} API answered 5XX: see the functions' alarms and logs."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = module.api.rest_api_name, Stage = module.api.stage_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
