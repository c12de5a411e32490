# P06 robust API: one HTTP API routing by path and method to three kinds of backend: a Lambda (orders),
# an HTTP backend (partners, proxied with path and query), and SQS directly (events, a service
# integration with no function on the path). A route no backend serves is API Gateway's 404.

module "orders" {
  source = "../../modules/table"

  name                   = "${var.name}-orders"
  hash_key               = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

module "events" {
  source = "../../modules/queue"

  name              = "${var.name}-events"
  max_receive_count = var.max_receive_count
  kms_key_arn       = var.kms_key_arn
  alarms            = var.alarms
  tags              = var.tags
}

module "orders_function" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-orders"
  description                    = "The orders backend of ${var.name}'s API"
  package_path                   = var.package_path
  handler                        = "robust_api.handler.handler"
  timeout                        = var.orders_function.timeout_seconds
  reserved_concurrent_executions = var.orders_function.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    ORDERS_TABLE = module.orders.name
  }
  policy_statements = concat([
    { sid = "Orders", actions = ["dynamodb:GetItem", "dynamodb:PutItem"], resources = [module.orders.arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "TableKey", actions = ["kms:Decrypt", "kms:GenerateDataKey"], resources = [var.kms_key_arn] },
  ])
}

# API Gateway sends to the queue as this role, allowed exactly that.
module "api_role" {
  source = "../../modules/api-gateway-service-role"

  name = var.name
  tags = var.tags
  policy_statements = concat([
    { sid = "SendEvents", actions = ["sqs:SendMessage"], resources = [module.events.queue_arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "QueueKey", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.kms_key_arn] },
  ])
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "${var.name}: orders (Lambda), partners (HTTP backend) and events (SQS) behind one API"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "orders" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.orders_function.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = min(30000, var.orders_function.timeout_seconds * 1000 + 1000)
}

resource "aws_apigatewayv2_integration" "partners" {
  api_id               = aws_apigatewayv2_api.this.id
  integration_type     = "HTTP_PROXY"
  integration_method   = "ANY"
  integration_uri      = "${trimsuffix(var.partners_base_url, "/")}/{proxy}"
  timeout_milliseconds = var.partners_timeout_ms
}

resource "aws_apigatewayv2_integration" "events" {
  api_id              = aws_apigatewayv2_api.this.id
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = module.api_role.role_arn
  request_parameters = {
    QueueUrl    = module.events.queue_url
    MessageBody = "$request.body"
  }
}

locals {
  routes = {
    "GET /orders/{id}"       = aws_apigatewayv2_integration.orders.id
    "POST /orders"           = aws_apigatewayv2_integration.orders.id
    "ANY /partners/{proxy+}" = aws_apigatewayv2_integration.partners.id
    "POST /events"           = aws_apigatewayv2_integration.events.id
  }
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${each.value}"
  authorization_type = var.authorization_type
}

resource "aws_lambda_permission" "api" {
  statement_id  = "OrdersRoutes"
  action        = "lambda:InvokeFunction"
  function_name = module.orders_function.function_name
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
