# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_iam_role.api
  to   = module.api_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.api
  to   = module.api_role.aws_iam_role_policy.this
}

# The endpoints moved into the shared rest-service-integration module.
moved {
  from = aws_api_gateway_model.work
  to   = module.submit.aws_api_gateway_model.this[0]
}

moved {
  from = aws_api_gateway_method.submit
  to   = module.submit.aws_api_gateway_method.this
}

moved {
  from = aws_api_gateway_integration.submit
  to   = module.submit.aws_api_gateway_integration.this
}

moved {
  from = aws_api_gateway_method_response.submit
  to   = module.submit.aws_api_gateway_method_response.this
}

moved {
  from = aws_api_gateway_integration_response.submit_accepted
  to   = module.submit.aws_api_gateway_integration_response.this["202"]
}

moved {
  from = aws_api_gateway_integration_response.submit_failed
  to   = module.submit.aws_api_gateway_integration_response.this["500"]
}

moved {
  from = aws_api_gateway_method.status
  to   = module.status.aws_api_gateway_method.this
}

moved {
  from = aws_api_gateway_integration.status
  to   = module.status.aws_api_gateway_integration.this
}

moved {
  from = aws_api_gateway_method_response.status
  to   = module.status.aws_api_gateway_method_response.this["200"]
}

moved {
  from = aws_api_gateway_integration_response.status
  to   = module.status.aws_api_gateway_integration_response.this["200"]
}

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
  from = aws_dynamodb_table.results
  to   = module.results.aws_dynamodb_table.this
}

moved {
  from = aws_dynamodb_table.idempotency
  to   = module.idempotency.aws_dynamodb_table.this
}

# The consumer and its mapping moved into the shared sqs-consumer module.
moved {
  from = module.consumer.aws_iam_role.this
  to   = module.consumer.module.function.aws_iam_role.this
}

moved {
  from = module.consumer.aws_iam_role_policy.this
  to   = module.consumer.module.function.aws_iam_role_policy.this
}

moved {
  from = module.consumer.aws_cloudwatch_log_group.this
  to   = module.consumer.module.function.aws_cloudwatch_log_group.this
}

moved {
  from = module.consumer.aws_lambda_function.this
  to   = module.consumer.module.function.aws_lambda_function.this
}

moved {
  from = module.consumer.aws_cloudwatch_metric_alarm.errors
  to   = module.consumer.module.function.aws_cloudwatch_metric_alarm.errors
}

moved {
  from = module.consumer.aws_cloudwatch_metric_alarm.throttles
  to   = module.consumer.module.function.aws_cloudwatch_metric_alarm.throttles
}

moved {
  from = aws_lambda_event_source_mapping.requests
  to   = module.consumer.aws_lambda_event_source_mapping.this
}

# 0.5.0: the REST API scaffolding moved into modules/rest-api.
moved {
  from = aws_api_gateway_rest_api.this
  to   = module.api.aws_api_gateway_rest_api.this
}

moved {
  from = aws_api_gateway_resource.requests
  to   = module.api.aws_api_gateway_resource.level1["/requests"]
}

moved {
  from = aws_api_gateway_resource.request
  to   = module.api.aws_api_gateway_resource.level2["/requests/{id}"]
}

moved {
  from = aws_api_gateway_request_validator.this
  to   = module.api.aws_api_gateway_request_validator.this[0]
}

moved {
  from = module.stage
  to   = module.api.module.stage
}
