# P05 aggregator: GET /customers/{customerId}/overview on an HTTP API reaches one function that calls every
# downstream service at once, each with its own timeout, and merges what arrived; a late or failing
# part is named in the answer instead of failing it.

module "function" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-aggregator"
  description                    = "Merges ${var.name}'s downstream services into one answer"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "aggregator.handler.handler"
  timeout                        = ceil(var.call_timeout_ms / 1000) + 2
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    DOWNSTREAMS     = jsonencode(var.downstreams)
    CALL_TIMEOUT_MS = tostring(var.call_timeout_ms)
  }
}

module "api" {
  source = "../../modules/http-api"

  name        = var.name
  description = "${var.name}: one request, every downstream service at once"
  integrations = {
    overview = {
      uri                     = module.function.invoke_arn
      function_name           = module.function.function_name
      permission_statement_id = "OverviewRoute"
      timeout_ms              = min(30000, (ceil(var.call_timeout_ms / 1000) + 3) * 1000)
    }
  }
  routes             = { "GET /customers/{customerId}/overview" = "overview" }
  authorization_type = var.authorization_type
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
  alarms             = var.alarms
}
