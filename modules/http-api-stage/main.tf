# An HTTP API's $default stage (deployed automatically on every change), throttled on every route and
# writing an access log: the HTTP API twin of rest-api-stage.

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = var.api_id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  default_route_settings {
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId         = "$context.requestId", routeKey = "$context.routeKey", status = "$context.status",
      integrationStatus = "$context.integrationStatus", responseLatency = "$context.responseLatency"
    })
  }
}
