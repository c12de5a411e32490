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

module "stage" {
  source = "../../modules/rest-api-stage"

  rest_api_id = aws_api_gateway_rest_api.this.id
  name        = var.name
  stage_name  = var.stage_name
  # Ids, not whole objects: the provider's refresh rewrites null maps in them.
  # Everything a deployment snapshots, as configured here (methods, integrations, model, validator),
  # and the ids: an edit redeploys the stage, not only a replaced resource. Configured values, not
  # resource attributes: those read back differently after a create (null becomes {}).
  redeployment_trigger = sha1(jsonencode({
    configured = [local.operations, var.authorization_type, aws_api_gateway_model.new_item.schema,
    [for k in sort(keys(local.operations)) : aws_api_gateway_integration.this[k].uri]]
    ids = [
      [for k in sort(keys(local.operations)) : [aws_api_gateway_method.this[k].id, aws_api_gateway_integration.this[k].id]],
      aws_api_gateway_model.new_item.id, aws_api_gateway_request_validator.this.id,
    ]
  }))
  throttling         = var.throttling
  logging_level      = var.logging_level
  cache              = var.cache
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}
