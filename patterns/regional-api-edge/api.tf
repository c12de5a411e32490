locals {
  api_resources = {
    list = module.api.resource_ids["/products"]
    put  = module.api.resource_ids["/products/{id}"]
  }
}

resource "aws_api_gateway_authorizer" "editors" {
  name            = "cognito-editors"
  rest_api_id     = module.api.rest_api_id
  type            = "COGNITO_USER_POOLS"
  provider_arns   = [aws_cognito_user_pool.editors.arn]
  identity_source = "method.request.header.Authorization"
}

resource "aws_api_gateway_model" "product" {
  rest_api_id  = module.api.rest_api_id
  name         = "Product"
  content_type = "application/json"
  schema = jsonencode({
    "$schema"            = "http://json-schema.org/draft-04/schema#"
    type                 = "object"
    required             = ["name", "price"]
    additionalProperties = false
    properties = {
      name  = { type = "string", minLength = 1, maxLength = 200 }
      price = { type = "number", minimum = 0 }
    }
  })
}

# Every method needs the API key only the distribution sends (edge.tf): a request that went around the
# edge is 403 Forbidden. Reading products is public; changing one needs an editor's ID token.
resource "aws_api_gateway_method" "this" {
  #checkov:skip=CKV_AWS_59: the public product list is open by design (it is cached at the edge); every method needs the edge's API key, and PUT a Cognito ID token
  #checkov:skip=CKV2_AWS_53: every method has the body-and-parameters validator; checkov does not follow the for_each
  for_each = local.operations

  rest_api_id          = module.api.rest_api_id
  resource_id          = local.api_resources[each.key]
  http_method          = each.value.method
  authorization        = each.key == "put" ? "COGNITO_USER_POOLS" : "NONE"
  authorizer_id        = each.key == "put" ? aws_api_gateway_authorizer.editors.id : null
  api_key_required     = true
  request_validator_id = module.api.request_validator_id
  request_models       = each.key == "put" ? { "application/json" = aws_api_gateway_model.product.name } : null
  request_parameters   = each.key == "put" ? { "method.request.path.id" = true } : null
}

resource "aws_api_gateway_integration" "this" {
  for_each = local.operations

  rest_api_id             = module.api.rest_api_id
  resource_id             = local.api_resources[each.key]
  http_method             = aws_api_gateway_method.this[each.key].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.function[each.key].invoke_arn
}

resource "aws_lambda_permission" "api" {
  for_each = local.operations

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.function[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.api.rest_api_execution_arn}/*/${each.value.method}${each.value.path}"
}

module "api" {
  source = "../../modules/rest-api"

  name        = var.name
  description = "Products API of ${var.name}, served through its CloudFront distribution"
  paths       = ["/products", "/products/{id}"]
  # Configured values and ids (as P01 explains): any change to what a deployment snapshots redeploys the stage.
  redeployment_trigger = sha1(jsonencode({
    configured = [local.operations, aws_api_gateway_model.product.schema,
    [for k in sort(keys(local.operations)) : aws_api_gateway_integration.this[k].uri]]
    ids = [
      [for k in sort(keys(local.operations)) : [aws_api_gateway_method.this[k].id, aws_api_gateway_integration.this[k].id]],
      aws_api_gateway_model.product.id, aws_api_gateway_authorizer.editors.id, module.api.request_validator_id,
    ]
  }))
  throttling         = var.throttling
  logging_level      = var.logging_level
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}

# The edge's key: API Gateway generates the value, and only the distribution's origin header carries it.
# A replacement (rotation) makes the new key first and deletes the old one after the distribution's update.
resource "aws_api_gateway_api_key" "edge" {
  name        = "${var.name}-edge"
  description = "Sent by ${var.name}'s CloudFront distribution as x-api-key; rotate by replacing this resource"
  enabled     = true
  tags        = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_usage_plan" "edge" {
  name        = "${var.name}-edge"
  description = "The only way into ${var.name}'s API: through its distribution"
  tags        = var.tags

  api_stages {
    api_id = module.api.rest_api_id
    stage  = module.api.stage_name
  }

  throttle_settings {
    rate_limit  = var.throttling.rate_limit
    burst_limit = var.throttling.burst_limit
  }
}

resource "aws_api_gateway_usage_plan_key" "edge" {
  key_id        = aws_api_gateway_api_key.edge.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.edge.id

  lifecycle {
    create_before_destroy = true
  }
}
