# An HTTP API (API Gateway v2): its integrations, its routes keyed like "GET /orders/{id}", the invoke
# permission of every function it calls (and of nothing else), and its $default stage, deployed
# automatically, throttled on every route and writing an access log.

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = var.description
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = var.integrations

  api_id               = aws_apigatewayv2_api.this.id
  integration_type     = each.value.type
  integration_subtype  = each.value.subtype
  integration_method   = each.value.type == "HTTP_PROXY" ? each.value.method : null
  integration_uri      = each.value.uri
  credentials_arn      = each.value.credentials_arn
  request_parameters   = each.value.request_parameters
  timeout_milliseconds = each.value.timeout_ms
  # A function's event is payload format 2.0; an AWS service or HTTP integration has none.
  payload_format_version = each.value.function_name != null ? "2.0" : null
}

resource "aws_apigatewayv2_route" "this" {
  for_each = var.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.this[each.value].id}"
  authorization_type = var.authorization_type
}

# The API may invoke the functions it integrates, from any of its routes and stages; no one else gains.
resource "aws_lambda_permission" "this" {
  for_each = { for key, integration in var.integrations : key => integration if integration.function_name != null }

  statement_id  = coalesce(each.value.permission_statement_id, "HttpApi-${each.key}")
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
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

# Answers the API could not give: integrations failing or timing out (the client saw a 5xx).
resource "aws_cloudwatch_metric_alarm" "server_errors" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-5xx"
  alarm_description   = "${var.name} answered 5xx: see its access log ${aws_cloudwatch_log_group.access.name} (integrationStatus)."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5xx"
  dimensions          = { ApiId = aws_apigatewayv2_api.this.id }
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = var.alarms.errors_threshold
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
