# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.stage.aws_cloudwatch_log_group.access
}

moved {
  from = aws_apigatewayv2_stage.default
  to   = module.stage.aws_apigatewayv2_stage.this
}

moved {
  from = module.stage.aws_apigatewayv2_stage.this
  to   = module.api.aws_apigatewayv2_stage.this
}

moved {
  from = module.stage.aws_cloudwatch_log_group.access
  to   = module.api.aws_cloudwatch_log_group.access
}

moved {
  from = aws_apigatewayv2_api.this
  to   = module.api.aws_apigatewayv2_api.this
}

moved {
  from = aws_apigatewayv2_integration.this
  to   = module.api.aws_apigatewayv2_integration.this["overview"]
}

moved {
  from = aws_apigatewayv2_route.overview
  to   = module.api.aws_apigatewayv2_route.this["GET /customers/{customerId}/overview"]
}

moved {
  from = aws_lambda_permission.api
  to   = module.api.aws_lambda_permission.this["overview"]
}
