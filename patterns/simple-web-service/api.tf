resource "aws_api_gateway_model" "new_item" {
  rest_api_id  = module.api.rest_api_id
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

  rest_api_id          = module.api.rest_api_id
  resource_id          = local.api_resources[each.value.resource].id
  http_method          = each.value.method
  authorization        = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_models       = each.key == "create" ? { "application/json" = aws_api_gateway_model.new_item.name } : null
  request_parameters   = each.value.resource == "item" ? { "method.request.path.id" = true } : null
}

resource "aws_api_gateway_integration" "this" {
  for_each = local.operations

  rest_api_id             = module.api.rest_api_id
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
  source_arn    = "${module.api.rest_api_execution_arn}/*/${each.value.method}${local.api_resources[each.value.resource].path}"
}

module "api" {
  source = "../../modules/rest-api"

  name        = var.name
  description = "Items API of ${var.name}"
  paths       = ["/items", "/items/{id}"]
  # Ids, not whole objects: the provider's refresh rewrites null maps in them.
  # Everything a deployment snapshots, as configured here (methods, integrations, model, validator),
  # and the ids: an edit redeploys the stage, not only a replaced resource. Configured values, not
  # resource attributes: those read back differently after a create (null becomes {}).
  redeployment_trigger = sha1(jsonencode({
    configured = [local.operations, var.authorization_type, aws_api_gateway_model.new_item.schema,
    [for k in sort(keys(local.operations)) : aws_api_gateway_integration.this[k].uri]]
    ids = [
      [for k in sort(keys(local.operations)) : [aws_api_gateway_method.this[k].id, aws_api_gateway_integration.this[k].id]],
      aws_api_gateway_model.new_item.id, module.api.request_validator_id,
    ]
  }))
  stage_name         = var.stage_name
  throttling         = var.throttling
  logging_level      = var.logging_level
  cache              = var.cache
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}
