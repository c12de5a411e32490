# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_lambda_function_event_invoke_config.trigger
  to   = module.trigger.aws_lambda_function_event_invoke_config.this[0]
}
