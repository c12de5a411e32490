# P07 strangler: one HTTP API in front of a legacy application. Every request goes to the legacy
# application (HTTP proxy) unless its route is in `migrated_routes`, which the new products service
# answers. Moving a route either way is a change of that one variable.

locals {
  migrated = toset(var.migrated_routes)
}

module "products" {
  source = "../../modules/table"

  name                   = "${var.name}-products"
  hash_key               = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

module "service" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-products"
  description                    = "${var.name}'s products service, answering the routes migrated from the legacy application"
  package_path                   = var.package_path
  handler                        = "strangler_service.handler.handler"
  timeout                        = var.service.timeout_seconds
  reserved_concurrent_executions = var.service.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    PRODUCTS_TABLE = module.products.name
  }
  policy_statements = concat([
    { sid = "Products", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Scan"], resources = [module.products.arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "TableKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [var.kms_key_arn] },
  ])
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "Facade of ${var.name}: migrated routes to the new service, the rest to the legacy application"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "legacy" {
  api_id               = aws_apigatewayv2_api.this.id
  integration_type     = "HTTP_PROXY"
  integration_method   = "ANY"
  integration_uri      = "${trimsuffix(var.legacy_base_url, "/")}/{proxy}"
  timeout_milliseconds = var.legacy_timeout_ms
}

resource "aws_apigatewayv2_integration" "legacy_root" {
  api_id               = aws_apigatewayv2_api.this.id
  integration_type     = "HTTP_PROXY"
  integration_method   = "ANY"
  integration_uri      = trimsuffix(var.legacy_base_url, "/")
  timeout_milliseconds = var.legacy_timeout_ms
}

resource "aws_apigatewayv2_route" "legacy" {
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "ANY /{proxy+}"
  target             = "integrations/${aws_apigatewayv2_integration.legacy.id}"
  authorization_type = var.authorization_type
}

resource "aws_apigatewayv2_route" "legacy_root" {
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "ANY /"
  target             = "integrations/${aws_apigatewayv2_integration.legacy_root.id}"
  authorization_type = var.authorization_type
}

resource "aws_apigatewayv2_integration" "service" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.service.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = min(30000, var.service.timeout_seconds * 1000 + 1000)
}

resource "aws_apigatewayv2_route" "migrated" {
  for_each = local.migrated

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.service.id}"
  authorization_type = var.authorization_type
}

resource "aws_lambda_permission" "api" {
  statement_id  = "FacadeRoutes"
  action        = "lambda:InvokeFunction"
  function_name = module.service.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

module "stage" {
  source = "../../modules/http-api-stage"

  api_id             = aws_apigatewayv2_api.this.id
  name               = var.name
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.stage.aws_cloudwatch_log_group.access
}

moved {
  from = aws_apigatewayv2_stage.default
  to   = module.stage.aws_apigatewayv2_stage.this
}
