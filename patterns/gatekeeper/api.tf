# The front door: every method needs an authorizer's decision; the Lambda authorizer's policy names
# only the key's tenant's routes, so another tenant's path is refused by the gateway (403) before
# the service runs, and the decision is cached per key for authorizer_cache_ttl_seconds.

locals {
  routes = {
    list = { method = "GET", resource = "documents" }
    add  = { method = "POST", resource = "documents" }
    get  = { method = "GET", resource = "document" }
  }
  api_resources = {
    documents = { id = module.api.resource_ids["/tenants/{tenant}/documents"], path = "/tenants/{tenant}/documents" }
    document  = { id = module.api.resource_ids["/tenants/{tenant}/documents/{id}"], path = "/tenants/{tenant}/documents/{id}" }
  }
  authorizer_id = local.api_keys ? aws_api_gateway_authorizer.keys[0].id : aws_api_gateway_authorizer.users[0].id
}

resource "aws_api_gateway_authorizer" "keys" {
  count = local.api_keys ? 1 : 0

  name                             = "api-keys"
  rest_api_id                      = module.api.rest_api_id
  type                             = var.authorizer_type
  authorizer_uri                   = module.authorizer[0].invoke_arn
  authorizer_result_ttl_in_seconds = var.authorizer_cache_ttl_seconds
  identity_source                  = var.authorizer_type == "TOKEN" ? "method.request.header.Authorization" : "method.request.header.x-api-key"
  # A token without a key's shape is refused by the gateway: the authorizer is not even invoked.
  identity_validation_expression = var.authorizer_type == "TOKEN" ? "^Bearer [A-Za-z0-9_-]{43}$" : null
}

resource "aws_lambda_permission" "authorizer" {
  count = local.api_keys ? 1 : 0

  statement_id  = "AllowApiGatewayAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = module.authorizer[0].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.api.rest_api_execution_arn}/authorizers/${aws_api_gateway_authorizer.keys[0].id}"
}

resource "aws_api_gateway_authorizer" "users" {
  count = local.api_keys ? 0 : 1

  name            = "cognito-users"
  rest_api_id     = module.api.rest_api_id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [aws_cognito_user_pool.users[0].arn]
  identity_source = "method.request.header.Authorization"
}

resource "aws_api_gateway_model" "new_document" {
  rest_api_id  = module.api.rest_api_id
  name         = "NewDocument"
  content_type = "application/json"
  schema = jsonencode({
    "$schema"            = "http://json-schema.org/draft-04/schema#"
    type                 = "object"
    required             = ["title"]
    additionalProperties = false
    properties = {
      title = { type = "string", minLength = 1, maxLength = 200 }
      body  = { type = "string", maxLength = 10000 }
    }
  })
}

resource "aws_api_gateway_method" "this" {
  #checkov:skip=CKV2_AWS_53: every method has the body-and-parameters validator; checkov does not follow the for_each
  for_each = local.routes

  rest_api_id          = module.api.rest_api_id
  resource_id          = local.api_resources[each.value.resource].id
  http_method          = each.value.method
  authorization        = local.api_keys ? "CUSTOM" : "COGNITO_USER_POOLS"
  authorizer_id        = local.authorizer_id
  request_validator_id = module.api.request_validator_id
  request_models       = each.key == "add" ? { "application/json" = aws_api_gateway_model.new_document.name } : null
  request_parameters   = merge({ "method.request.path.tenant" = true }, each.value.resource == "document" ? { "method.request.path.id" = true } : {})
}

resource "aws_api_gateway_integration" "this" {
  for_each = local.routes

  rest_api_id             = module.api.rest_api_id
  resource_id             = local.api_resources[each.value.resource].id
  http_method             = aws_api_gateway_method.this[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.service.invoke_arn
}

resource "aws_lambda_permission" "api" {
  for_each = local.routes

  statement_id  = "AllowApiGateway${title(each.key)}"
  action        = "lambda:InvokeFunction"
  function_name = module.service.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.api.rest_api_execution_arn}/*/${each.value.method}${local.api_resources[each.value.resource].path}"
}

module "api" {
  source = "../../modules/rest-api"

  name        = var.name
  description = "Tenant documents behind ${var.name}'s gatekeeper"
  paths       = ["/tenants", "/tenants/{tenant}", "/tenants/{tenant}/documents", "/tenants/{tenant}/documents/{id}"]
  # Everything a deployment snapshots, as configured here: an edit redeploys the stage.
  redeployment_trigger = sha1(jsonencode({
    configured = [local.routes, var.identity, var.authorizer_type, var.authorizer_cache_ttl_seconds,
    aws_api_gateway_model.new_document.schema]
    ids = [
      [for k in sort(keys(local.routes)) : [aws_api_gateway_method.this[k].id, aws_api_gateway_integration.this[k].id]],
      local.authorizer_id, aws_api_gateway_model.new_document.id, module.api.request_validator_id,
    ]
  }))
  stage_name         = var.stage_name
  throttling         = var.throttling
  logging_level      = var.logging_level
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}
