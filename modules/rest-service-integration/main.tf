# One method of a REST API integrated straight with an AWS service (SQS, SNS, DynamoDB, ...):
# no function on the request path. The gateway validates the request, a mapping template turns it
# into the service's API call under the given role, and the service's answer is mapped per status.

resource "aws_api_gateway_model" "this" {
  count = var.request_model == null ? 0 : 1

  rest_api_id  = var.rest_api_id
  name         = var.request_model.name
  content_type = "application/json"
  schema       = jsonencode(var.request_model.schema)
}

resource "aws_api_gateway_method" "this" {
  #checkov:skip=CKV_AWS_59: authorization is the caller's authorization_type, AWS_IAM by default
  rest_api_id          = var.rest_api_id
  resource_id          = var.resource_id
  http_method          = var.http_method
  authorization        = var.authorization_type
  request_validator_id = var.request_validator_id
  request_models       = var.request_model == null ? null : { "application/json" = aws_api_gateway_model.this[0].name }
  request_parameters   = length(var.request_parameters) == 0 ? null : var.request_parameters
}

resource "aws_api_gateway_integration" "this" {
  rest_api_id             = var.rest_api_id
  resource_id             = var.resource_id
  http_method             = aws_api_gateway_method.this.http_method
  type                    = "AWS"
  integration_http_method = var.integration_http_method
  credentials             = var.credentials
  uri                     = var.uri
  passthrough_behavior    = var.passthrough_behavior
  request_parameters      = length(var.integration_request_parameters) == 0 ? null : var.integration_request_parameters
  request_templates       = var.request_templates
}

resource "aws_api_gateway_method_response" "this" {
  for_each = var.responses

  rest_api_id = var.rest_api_id
  resource_id = var.resource_id
  http_method = aws_api_gateway_method.this.http_method
  status_code = each.key
}

resource "aws_api_gateway_integration_response" "this" {
  for_each = var.responses

  rest_api_id        = var.rest_api_id
  resource_id        = var.resource_id
  http_method        = aws_api_gateway_method.this.http_method
  status_code        = aws_api_gateway_method_response.this[each.key].status_code
  selection_pattern  = each.value.selection_pattern
  response_templates = { "application/json" = each.value.template }

  depends_on = [aws_api_gateway_integration.this]
}
