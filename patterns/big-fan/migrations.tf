# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

# The endpoint moved into the shared rest-service-integration module.
moved {
  from = aws_api_gateway_model.event
  to   = module.publish.aws_api_gateway_model.this[0]
}

moved {
  from = aws_api_gateway_method.publish
  to   = module.publish.aws_api_gateway_method.this
}

moved {
  from = aws_api_gateway_integration.publish
  to   = module.publish.aws_api_gateway_integration.this
}

moved {
  from = aws_api_gateway_method_response.publish
  to   = module.publish.aws_api_gateway_method_response.this
}

moved {
  from = aws_api_gateway_integration_response.published
  to   = module.publish.aws_api_gateway_integration_response.this["202"]
}

moved {
  from = aws_api_gateway_integration_response.failed
  to   = module.publish.aws_api_gateway_integration_response.this["500"]
}

moved {
  from = aws_dynamodb_table.deliveries
  to   = module.deliveries.aws_dynamodb_table.this
}

# 0.5.0: the REST API scaffolding moved into modules/rest-api.
moved {
  from = aws_api_gateway_rest_api.this
  to   = module.api.aws_api_gateway_rest_api.this
}

moved {
  from = aws_api_gateway_resource.events
  to   = module.api.aws_api_gateway_resource.level1["/events"]
}

moved {
  from = aws_api_gateway_request_validator.body
  to   = module.api.aws_api_gateway_request_validator.this[0]
}

moved {
  from = module.stage
  to   = module.api.module.stage
}
