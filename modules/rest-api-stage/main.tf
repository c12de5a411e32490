# A deployment of a REST API and the stage that serves it: traced, access-logged, throttled,
# optionally cached. Every REST API pattern ends with this.

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = var.rest_api_id

  triggers = {
    redeployment = var.redeployment_trigger
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "access" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  #checkov:skip=CKV_AWS_158: encrypted with kms_key_arn when given; CloudWatch Logs encrypts at rest with its own key otherwise
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# API Gateway writes execution logs into this group, and creates it itself (never expiring, on no key)
# unless it already exists: the module creates it first, with the environment's retention and key.
resource "aws_cloudwatch_log_group" "execution" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  #checkov:skip=CKV_AWS_158: encrypted with kms_key_arn when given; CloudWatch Logs encrypts at rest with its own key otherwise
  count = var.logging_level == "OFF" ? 0 : 1

  name              = "API-Gateway-Execution-Logs_${var.rest_api_id}/${var.stage_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_api_gateway_stage" "this" {
  #checkov:skip=CKV2_AWS_51: client certificates authenticate API Gateway to HTTP backends; pattern backends are Lambdas and AWS services
  #checkov:skip=CKV2_AWS_29: this library attaches no WAF web ACL yet (the stage is throttled by var.throttling and authorized per method); associate yours with the stage's ARN
  #checkov:skip=CKV_AWS_120: caching is var.cache, off by default because it is billed by the hour
  rest_api_id           = var.rest_api_id
  deployment_id         = aws_api_gateway_deployment.this.id
  stage_name            = var.stage_name
  xray_tracing_enabled  = true
  cache_cluster_enabled = var.cache.enabled
  cache_cluster_size    = var.cache.enabled ? var.cache.size : null
  tags                  = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId    = "$context.requestId"
      ip           = "$context.identity.sourceIp"
      method       = "$context.httpMethod"
      path         = "$context.resourcePath"
      status       = "$context.status"
      latencyMs    = "$context.responseLatency"
      errorMessage = "$context.error.message"
    })
  }
}

resource "aws_api_gateway_method_settings" "all" {
  #checkov:skip=CKV_AWS_225: caching follows var.cache, off by default because it is billed by the hour
  rest_api_id = var.rest_api_id
  stage_name  = aws_api_gateway_stage.this.stage_name
  method_path = "*/*"

  settings {
    metrics_enabled        = true
    logging_level          = var.logging_level
    data_trace_enabled     = false
    throttling_rate_limit  = var.throttling.rate_limit
    throttling_burst_limit = var.throttling.burst_limit
    caching_enabled        = var.cache.enabled
    cache_ttl_in_seconds   = var.cache.ttl_seconds
    cache_data_encrypted   = true
  }

  depends_on = [aws_cloudwatch_log_group.execution]
}
