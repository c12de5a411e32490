# P07 strangler: one HTTP API in front of a legacy application. Every request goes to the legacy
# application (HTTP proxy) unless its route is in `migrated_routes`, which the new products service
# answers. Moving a route either way is a change of that one variable.

module "products" {
  source = "../../modules/table"

  name                   = "${var.name}-products"
  hash_key               = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "service" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-products"
  description                    = "${var.name}'s products service, answering the routes migrated from the legacy application"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "strangler_service.handler.handler"
  timeout                        = var.service.timeout_seconds
  reserved_concurrent_executions = var.service.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    PRODUCTS_TABLE = module.products.table_name
  }
  policy_statements = [
    { sid = "Products", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"], resources = [module.products.table_arn] },
  ]
}

module "api" {
  source = "../../modules/http-api"

  name        = var.name
  description = "Facade of ${var.name}: migrated routes to the new service, the rest to the legacy application"
  integrations = {
    legacy = {
      type       = "HTTP_PROXY"
      uri        = "${trimsuffix(var.legacy_base_url, "/")}/{proxy}"
      timeout_ms = var.legacy_timeout_ms
    }
    legacy_root = {
      type       = "HTTP_PROXY"
      uri        = trimsuffix(var.legacy_base_url, "/")
      timeout_ms = var.legacy_timeout_ms
    }
    service = {
      uri                     = module.service.invoke_arn
      function_name           = module.service.function_name
      permission_statement_id = "FacadeRoutes"
      timeout_ms              = min(30000, var.service.timeout_seconds * 1000 + 1000)
    }
  }
  # Every request goes to the legacy application, but the migrated routes: moving one is this list.
  routes = merge(
    { "ANY /{proxy+}" = "legacy", "ANY /" = "legacy_root" },
    { for route in var.migrated_routes : route => "service" },
  )
  authorization_type = var.authorization_type
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
  alarms             = var.alarms
}
