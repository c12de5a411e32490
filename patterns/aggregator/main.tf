# P05 aggregator: GET /customers/{customerId}/overview on an HTTP API reaches one function that calls every
# downstream service at once, each with its own timeout, and merges what arrived; a late or failing
# part is named in the answer instead of failing it.

module "function" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-aggregator"
  description                    = "Merges ${var.name}'s downstream services into one answer"
  package_path                   = var.package_path
  handler                        = "aggregator.handler.handler"
  timeout                        = ceil(var.call_timeout_ms / 1000) + 2
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    DOWNSTREAMS     = jsonencode(var.downstreams)
    CALL_TIMEOUT_MS = tostring(var.call_timeout_ms)
  }
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "${var.name}: one request, every downstream service at once"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.function.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = min(30000, (ceil(var.call_timeout_ms / 1000) + 3) * 1000)
}

resource "aws_apigatewayv2_route" "overview" {
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = "GET /customers/{customerId}/overview"
  target             = "integrations/${aws_apigatewayv2_integration.this.id}"
  authorization_type = var.authorization_type
}

resource "aws_lambda_permission" "api" {
  statement_id  = "OverviewRoute"
  action        = "lambda:InvokeFunction"
  function_name = module.function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

module "stage" {
  source = "../../modules/http-api-stage"

  api_id             = aws_apigatewayv2_api.this.id
  name               = var.name
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}

moved {
  from = aws_cloudwatch_log_group.access
  to   = module.stage.aws_cloudwatch_log_group.access
}

moved {
  from = aws_apigatewayv2_stage.default
  to   = module.stage.aws_apigatewayv2_stage.this
}
