# P30 regional-api-edge: CloudFront in front of a regional REST API. Clients everywhere reach the API
# through the edge (TLS ends near them); the public product list is cached there for as long as the API's
# Cache-Control says, every other path goes to the API uncached with the viewer's Authorization header,
# and the API answers only requests carrying the edge's API key (an origin custom header), so nobody
# can go around the edge (api.tf, edge.tf).

locals {
  # One function per operation, each with only the table action it needs.
  operations = {
    list = { method = "GET", path = "/products", actions = ["dynamodb:Scan"] }
    put  = { method = "PUT", path = "/products/{id}", actions = ["dynamodb:PutItem"] }
  }
}

module "products" {
  source = "../../modules/table"

  name                   = "${var.name}-products"
  hash_key               = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  alarms                 = var.alarms
  tags                   = var.tags
}

module "function" {
  source   = "../../modules/lambda-function"
  for_each = local.operations

  name         = "${var.name}-${each.key}"
  description  = "${each.value.method} ${each.value.path} of ${var.name}"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "regional_api_edge.handler.handler"
  environment = {
    TABLE_NAME              = module.products.table_name
    PUBLIC_MAX_AGE_SECONDS  = tostring(var.public_max_age_seconds)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  policy_statements = [{
    sid       = "Products${title(each.key)}"
    actions   = each.value.actions
    resources = [module.products.table_arn]
  }]
}

# Who may change products: users of this pool, by the ID token the viewer sends as Authorization.
resource "aws_cognito_user_pool" "editors" {
  name                     = "${var.name}-editors"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OPTIONAL"
  tags                     = var.tags

  software_token_mfa_configuration {
    enabled = true
  }

  # Editors are invited, never self-registered.
  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = true
  }
}

resource "aws_cognito_user_pool_client" "editors" {
  name                          = "${var.name}-editors"
  user_pool_id                  = aws_cognito_user_pool.editors.id
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
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
