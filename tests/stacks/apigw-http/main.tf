# Test root: an HTTP API (v2) with Lambda (payload 1.0 and 2.0), HTTP_PROXY, SQS-SendMessage,
# a Lambda REQUEST authorizer, a JWT authorizer on a Cognito pool, CORS and route throttling.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

provider "aws" {}

variable "name" {
  type        = string
  description = "Unique prefix for this test stack."
}

variable "package_path" {
  type        = string
  description = "Zip of src/ built by the test."
}

variable "legacy_port" {
  type        = number
  description = "Port of the HTTP server the test runs on 127.0.0.1."
}

data "aws_region" "current" {}

locals {
  functions = {
    echo_v2   = "http_api_fixture.handler.echo_v2"
    echo_v1   = "http_api_fixture.handler.echo_v1"
    bare      = "http_api_fixture.handler.bare"
    slow      = "http_api_fixture.handler.slow"
    authorize = "http_api_fixture.handler.authorize"
  }
  # route key => integration, authorization
  lambda_routes = {
    "GET /v2/{id}" = { integration = "echo_v2", authorization = "NONE" }
    "POST /v1"     = { integration = "echo_v1", authorization = "NONE" }
    "GET /bare"    = { integration = "bare", authorization = "NONE" }
    "GET /slow"    = { integration = "slow", authorization = "NONE" }
    "GET /secure"  = { integration = "echo_v2", authorization = "CUSTOM" }
    "GET /jwt"     = { integration = "echo_v2", authorization = "JWT" }
  }
}

module "function" {
  source   = "../../../modules/lambda-function"
  for_each = local.functions

  name               = "${var.name}-${replace(each.key, "_", "-")}"
  package_path       = var.package_path
  handler            = each.value
  timeout            = 5
  log_retention_days = 1
}

resource "aws_lambda_permission" "api" {
  for_each = local.functions

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.function[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*"
}

resource "aws_sqs_queue" "inbox" {
  name                    = "${var.name}-inbox"
  sqs_managed_sse_enabled = true
}

resource "aws_cognito_user_pool" "users" {
  name                = "${var.name}-users"
  username_attributes = ["email"]
}

resource "aws_cognito_user_pool_client" "app" {
  name                = "${var.name}-app"
  user_pool_id        = aws_cognito_user_pool.users.id
  explicit_auth_flows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins  = ["https://app.example"]
    allow_methods  = ["GET", "POST"]
    allow_headers  = ["content-type", "x-key"]
    expose_headers = ["x-payload"]
    max_age        = 300
  }
}

resource "aws_apigatewayv2_integration" "lambda" {
  for_each = toset(["echo_v2", "echo_v1", "bare", "slow"])

  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function[each.key].invoke_arn
  payload_format_version = each.key == "echo_v1" ? "1.0" : "2.0"
  timeout_milliseconds   = each.key == "slow" ? 1000 : 30000
}

resource "aws_apigatewayv2_integration" "legacy" {
  api_id             = aws_apigatewayv2_api.this.id
  integration_type   = "HTTP_PROXY"
  integration_method = "ANY"
  integration_uri    = "http://127.0.0.1:${var.legacy_port}/app/{proxy}"
}

resource "aws_iam_role" "api" {
  name = "${var.name}-api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "api" {
  name = "send"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.inbox.arn }]
  })
}

resource "aws_apigatewayv2_integration" "queue" {
  api_id              = aws_apigatewayv2_api.this.id
  integration_type    = "AWS_PROXY"
  integration_subtype = "SQS-SendMessage"
  credentials_arn     = aws_iam_role.api.arn
  request_parameters = {
    QueueUrl    = aws_sqs_queue.inbox.url
    MessageBody = "$request.body.message"
  }
}

resource "aws_apigatewayv2_authorizer" "lambda" {
  api_id                            = aws_apigatewayv2_api.this.id
  name                              = "lambda"
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = module.function["authorize"].invoke_arn
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
  identity_sources                  = ["$request.header.x-key"]
  authorizer_result_ttl_in_seconds  = 0
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.this.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = [aws_cognito_user_pool_client.app.id]
    issuer   = "https://cognito-idp.${data.aws_region.current.name}.amazonaws.com/${aws_cognito_user_pool.users.id}"
  }
}

resource "aws_apigatewayv2_route" "lambda" {
  for_each = local.lambda_routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.lambda[each.value.integration].id}"
  authorization_type = each.value.authorization
  authorizer_id = (each.value.authorization == "CUSTOM" ? aws_apigatewayv2_authorizer.lambda.id :
  each.value.authorization == "JWT" ? aws_apigatewayv2_authorizer.jwt.id : null)
}

resource "aws_apigatewayv2_route" "legacy" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "ANY /legacy/{proxy+}"
  target    = "integrations/${aws_apigatewayv2_integration.legacy.id}"
}

resource "aws_apigatewayv2_route" "queue" {
  api_id    = aws_apigatewayv2_api.this.id
  route_key = "POST /queue"
  target    = "integrations/${aws_apigatewayv2_integration.queue.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = 1
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", routeKey = "$context.routeKey", status = "$context.status" })
  }

  route_settings {
    route_key              = "GET /bare"
    throttling_rate_limit  = 1
    throttling_burst_limit = 3
  }

  depends_on = [aws_apigatewayv2_route.lambda]
}

output "api_id" {
  value = aws_apigatewayv2_api.this.id
}

output "queue_url" {
  value = aws_sqs_queue.inbox.url
}

output "user_pool_id" {
  value = aws_cognito_user_pool.users.id
}

output "access_log_group" {
  value = aws_cloudwatch_log_group.access.name
}

output "client_id" {
  value = aws_cognito_user_pool_client.app.id
}
