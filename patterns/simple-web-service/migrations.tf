# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

# The deployment and stage moved into the shared rest-api-stage module.
moved {
  from = aws_api_gateway_deployment.this
  to   = module.stage.aws_api_gateway_deployment.this
}

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.stage.aws_cloudwatch_log_group.access
}

moved {
  from = aws_api_gateway_stage.this
  to   = module.stage.aws_api_gateway_stage.this
}

moved {
  from = aws_api_gateway_method_settings.all
  to   = module.stage.aws_api_gateway_method_settings.all
}

moved {
  from = aws_dynamodb_table.items
  to   = module.items.aws_dynamodb_table.this
}

# 0.5.0: the REST API scaffolding moved into modules/rest-api.
moved {
  from = aws_api_gateway_rest_api.this
  to   = module.api.aws_api_gateway_rest_api.this
}

moved {
  from = aws_api_gateway_resource.items
  to   = module.api.aws_api_gateway_resource.level1["/items"]
}

moved {
  from = aws_api_gateway_resource.item
  to   = module.api.aws_api_gateway_resource.level2["/items/{id}"]
}

moved {
  from = aws_api_gateway_request_validator.this
  to   = module.api.aws_api_gateway_request_validator.this[0]
}

moved {
  from = module.stage
  to   = module.api.module.stage
}
