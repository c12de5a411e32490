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
