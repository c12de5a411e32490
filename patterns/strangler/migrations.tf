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
  from = aws_apigatewayv2_integration.legacy
  to   = module.api.aws_apigatewayv2_integration.this["legacy"]
}

moved {
  from = aws_apigatewayv2_integration.legacy_root
  to   = module.api.aws_apigatewayv2_integration.this["legacy_root"]
}

moved {
  from = aws_apigatewayv2_integration.service
  to   = module.api.aws_apigatewayv2_integration.this["service"]
}

moved {
  from = aws_apigatewayv2_route.legacy
  to   = module.api.aws_apigatewayv2_route.this["ANY /{proxy+}"]
}

moved {
  from = aws_apigatewayv2_route.legacy_root
  to   = module.api.aws_apigatewayv2_route.this["ANY /"]
}

moved {
  from = aws_apigatewayv2_route.migrated
  to   = module.api.aws_apigatewayv2_route.this
}

moved {
  from = aws_lambda_permission.api
  to   = module.api.aws_lambda_permission.this["service"]
}
