# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_db_instance.replica
  to   = module.replica.aws_db_instance.this
}

moved {
  from = aws_db_subnet_group.this
  to   = module.replica.aws_db_subnet_group.this
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
  to   = module.api.aws_apigatewayv2_integration.this["customers"]
}

moved {
  from = aws_apigatewayv2_route.this["PUT /customers/{id}"]
  to   = module.api.aws_apigatewayv2_route.this["PUT /customers/{id}"]
}

moved {
  from = aws_apigatewayv2_route.this["GET /customers/{id}"]
  to   = module.api.aws_apigatewayv2_route.this["GET /customers/{id}"]
}

moved {
  from = aws_lambda_permission.api
  to   = module.api.aws_lambda_permission.this["customers"]
}
