# Test root: REST API methods behind Lambda TOKEN and REQUEST authorizers and a Cognito user pool.
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

locals {
  functions = {
    token   = "authorizer_fixture.handler.token"
    request = "authorizer_fixture.handler.request"
    echo    = "authorizer_fixture.handler.echo"
  }
  # path => authorizer, response template of its MOCK integration (empty: Lambda proxy to echo)
  routes = {
    me      = { authorizer = "token", template = "{\"principal\": \"$context.authorizer.principalId\", \"user\": \"$context.authorizer.user\", \"tier\": \"$context.authorizer.tier\"}" }
    admin   = { authorizer = "token", template = "{\"admin\": true}" }
    tenant  = { authorizer = "request", template = "{\"tenant\": \"$context.authorizer.tenant\", \"principal\": \"$context.authorizer.principalId\"}" }
    profile = { authorizer = "cognito", template = "{\"sub\": \"$context.authorizer.claims.sub\", \"email\": \"$context.authorizer.claims.email\"}" }
    proxied = { authorizer = "token", template = "" }
  }
}

module "function" {
  source   = "../../../modules/lambda-function"
  for_each = local.functions

  name               = "${var.name}-${each.key}"
  package_path       = var.package_path
  handler            = each.value
  log_retention_days = 1
}

resource "aws_lambda_permission" "api" {
  for_each = local.functions

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.function[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*"
}

resource "aws_cognito_user_pool" "users" {
  name                     = "${var.name}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
}

resource "aws_cognito_user_pool_client" "app" {
  name                = "${var.name}-app"
  user_pool_id        = aws_cognito_user_pool.users.id
  explicit_auth_flows = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}

resource "aws_api_gateway_authorizer" "token" {
  name                             = "token"
  rest_api_id                      = aws_api_gateway_rest_api.this.id
  type                             = "TOKEN"
  authorizer_uri                   = module.function["token"].invoke_arn
  identity_source                  = "method.request.header.Authorization"
  identity_validation_expression   = "^(allow-[a-z]+|deny|broken|[a-z]+)$"
  authorizer_result_ttl_in_seconds = 300
}

resource "aws_api_gateway_authorizer" "request" {
  name                             = "request"
  rest_api_id                      = aws_api_gateway_rest_api.this.id
  type                             = "REQUEST"
  authorizer_uri                   = module.function["request"].invoke_arn
  identity_source                  = "method.request.header.X-Client,method.request.querystring.tenant"
  authorizer_result_ttl_in_seconds = 0
}

resource "aws_api_gateway_authorizer" "cognito" {
  name          = "cognito"
  rest_api_id   = aws_api_gateway_rest_api.this.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = [aws_cognito_user_pool.users.arn]
}

locals {
  authorizer_ids = {
    token   = aws_api_gateway_authorizer.token.id
    request = aws_api_gateway_authorizer.request.id
    cognito = aws_api_gateway_authorizer.cognito.id
  }
}

resource "aws_api_gateway_resource" "route" {
  for_each = local.routes

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_method" "route" {
  for_each = local.routes

  rest_api_id   = aws_api_gateway_rest_api.this.id
  resource_id   = aws_api_gateway_resource.route[each.key].id
  http_method   = "GET"
  authorization = each.value.authorizer == "cognito" ? "COGNITO_USER_POOLS" : "CUSTOM"
  authorizer_id = local.authorizer_ids[each.value.authorizer]
}

resource "aws_api_gateway_integration" "route" {
  for_each = local.routes

  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = aws_api_gateway_resource.route[each.key].id
  http_method             = aws_api_gateway_method.route[each.key].http_method
  type                    = each.value.template == "" ? "AWS_PROXY" : "MOCK"
  integration_http_method = each.value.template == "" ? "POST" : null
  uri                     = each.value.template == "" ? module.function["echo"].invoke_arn : null
  request_templates       = each.value.template == "" ? null : { "application/json" = "{\"statusCode\": 200}" }
}

resource "aws_api_gateway_method_response" "route" {
  for_each = { for k, v in local.routes : k => v if v.template != "" }

  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.route[each.key].id
  http_method = aws_api_gateway_method.route[each.key].http_method
  status_code = "200"
}

resource "aws_api_gateway_integration_response" "route" {
  for_each = { for k, v in local.routes : k => v if v.template != "" }

  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_resource.route[each.key].id
  http_method        = aws_api_gateway_method.route[each.key].http_method
  status_code        = aws_api_gateway_method_response.route[each.key].status_code
  response_templates = { "application/json" = each.value.template }

  depends_on = [aws_api_gateway_integration.route]
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode([
      [for k in sort(keys(local.routes)) : [aws_api_gateway_method.route[k].id, aws_api_gateway_integration.route[k].id]],
      [for r in aws_api_gateway_integration_response.route : r.id],
      values(local.authorizer_ids),
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "test" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = "test"
}

output "api_id" {
  value = aws_api_gateway_rest_api.this.id
}

output "user_pool_id" {
  value = aws_cognito_user_pool.users.id
}

output "client_id" {
  value = aws_cognito_user_pool_client.app.id
}

output "token_function" {
  value = module.function["token"].function_name
}

output "request_function" {
  value = module.function["request"].function_name
}
