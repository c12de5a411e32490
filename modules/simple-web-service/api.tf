resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = "Items API of ${var.name}"
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.items.id
  path_part   = "{id}"
}

resource "aws_api_gateway_request_validator" "this" {
  rest_api_id                 = aws_api_gateway_rest_api.this.id
  name                        = "body-and-parameters"
  validate_request_body       = true
  validate_request_parameters = true
}

resource "aws_api_gateway_model" "new_item" {
  rest_api_id  = aws_api_gateway_rest_api.this.id
  name         = "NewItem"
  content_type = "application/json"
  schema = jsonencode({
    "$schema"            = "http://json-schema.org/draft-04/schema#"
    type                 = "object"
    required             = ["name"]
    additionalProperties = false
    properties = {
      name        = { type = "string", minLength = 1, maxLength = 200 }
      description = { type = "string", maxLength = 2000 }
    }
  })
}

resource "aws_api_gateway_method" "this" {
  #checkov:skip=CKV_AWS_59: authorization is var.authorization_type, AWS_IAM by default; NONE is an explicit choice for a public API
  #checkov:skip=CKV2_AWS_53: every method has the body-and-parameters validator; checkov does not follow the for_each
  for_each = local.operations

  rest_api_id          = aws_api_gateway_rest_api.this.id
  resource_id          = local.api_resources[each.value.resource].id
  http_method          = each.value.method
  authorization        = var.authorization_type
  request_validator_id = aws_api_gateway_request_validator.this.id
  request_models       = each.key == "create" ? { "application/json" = aws_api_gateway_model.new_item.name } : null
  request_parameters   = each.value.resource == "item" ? { "method.request.path.id" = true } : null
}

resource "aws_api_gateway_integration" "this" {
  for_each = local.operations

  rest_api_id             = aws_api_gateway_rest_api.this.id
  resource_id             = local.api_resources[each.value.resource].id
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
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*/${each.value.method}${local.api_resources[each.value.resource].path}"
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  # Ids, not whole objects: the provider's refresh rewrites null maps in them.
  triggers = {
    redeployment = sha1(jsonencode([
      [for k in sort(keys(local.operations)) : [aws_api_gateway_method.this[k].id, aws_api_gateway_integration.this[k].id, aws_api_gateway_method.this[k].authorization]],
      aws_api_gateway_model.new_item.id,
      aws_api_gateway_model.new_item.schema,
      aws_api_gateway_request_validator.this.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  #checkov:skip=CKV_AWS_158: encrypted with kms_key_arn when given; CloudWatch Logs encrypts at rest with its own key otherwise
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV2_AWS_51: client certificates authenticate API Gateway to HTTP backends; the backends here are Lambdas
  #checkov:skip=CKV2_AWS_29: a WAF web ACL is composed per environment (secured-spa pattern), not per service
  #checkov:skip=CKV_AWS_120: caching is var.cache, off by default because it is billed by the hour
  rest_api_id           = aws_api_gateway_rest_api.this.id
  deployment_id         = aws_api_gateway_deployment.this.id
  stage_name            = var.stage_name
  xray_tracing_enabled  = true
  cache_cluster_enabled = var.cache.enabled
  cache_cluster_size    = var.cache.enabled ? var.cache.size : null
  tags                  = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId    = "$context.requestId"
      ip           = "$context.identity.sourceIp"
      method       = "$context.httpMethod"
      path         = "$context.resourcePath"
      status       = "$context.status"
      latencyMs    = "$context.responseLatency"
      errorMessage = "$context.error.message"
    })
  }
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225: caching follows var.cache, off by default because it is billed by the hour
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
    caching_enabled        = var.cache.enabled
    cache_ttl_in_seconds   = var.cache.ttl_seconds
    cache_data_encrypted   = true
  }
}
