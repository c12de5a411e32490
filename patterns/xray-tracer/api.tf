resource "aws_api_gateway_model" "order" {
  rest_api_id  = module.api.rest_api_id
  name         = "Order"
  content_type = "application/json"
  schema = jsonencode({
    "$schema"            = "http://json-schema.org/draft-04/schema#"
    type                 = "object"
    required             = ["sku", "quantity"]
    additionalProperties = false
    properties = {
      sku      = { type = "string", pattern = "^[A-Za-z0-9-]{1,40}$" }
      quantity = { type = "integer", minimum = 1, maximum = 100 }
    }
  })
}

resource "aws_api_gateway_method" "place_order" {
  #checkov:skip=CKV_AWS_59: authorization is var.authorization_type, AWS_IAM by default; NONE is an explicit choice for a public API
  rest_api_id          = module.api.rest_api_id
  resource_id          = module.api.resource_ids["/orders"]
  http_method          = "POST"
  authorization        = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_models       = { "application/json" = aws_api_gateway_model.order.name }
}

resource "aws_api_gateway_integration" "place_order" {
  rest_api_id             = module.api.rest_api_id
  resource_id             = module.api.resource_ids["/orders"]
  http_method             = aws_api_gateway_method.place_order.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.checkout.invoke_arn
}

resource "aws_lambda_permission" "api" {
  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.checkout.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${module.api.rest_api_execution_arn}/*/POST/orders"
}

# The stage has X-Ray tracing on (modules/rest-api-stage): it samples by the rule in tracing.tf.
module "api" {
  source = "../../modules/rest-api"

  name        = var.name
  description = "Orders API of ${var.name}, traced end to end"
  paths       = ["/orders"]
  # Configured values and ids of what a deployment snapshots: an edit redeploys the stage.
  redeployment_trigger = sha1(jsonencode({
    configured = [var.authorization_type, aws_api_gateway_model.order.schema, aws_api_gateway_integration.place_order.uri]
    ids        = [aws_api_gateway_method.place_order.id, aws_api_gateway_integration.place_order.id, aws_api_gateway_model.order.id]
  }))
  stage_name         = var.stage_name
  throttling         = var.throttling
  logging_level      = var.logging_level
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}

resource "aws_cloudwatch_metric_alarm" "api_5xx" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-api-5xx"
  alarm_description   = "The ${var.name} orders API answered 5XX: its trace group ${aws_xray_group.faults.group_name} holds the failing traces."
  namespace           = "AWS/ApiGateway"
  metric_name         = "5XXError"
  dimensions          = { ApiName = module.api.rest_api_name, Stage = module.api.stage_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
