# The front door publishes straight to the topic: no function on the request path. The body is
# the message; the request id and the body's type travel as message attributes for the filters.

module "api_role" {
  source = "../../modules/api-gateway-service-role"

  name = var.name
  tags = var.tags
  policy_statements = concat([
    { sid = "PublishEvents", actions = ["sns:Publish"], resources = [aws_sns_topic.events.arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "TopicKey", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.kms_key_arn] },
  ])
}

module "publish" {
  source = "../../modules/rest-service-integration"

  rest_api_id          = module.api.rest_api_id
  resource_id          = module.api.resource_ids["/events"]
  http_method          = "POST"
  authorization_type   = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_model = {
    name = "Event"
    schema = {
      "$schema" = "http://json-schema.org/draft-04/schema#"
      type      = "object"
      required  = ["type"]
      properties = {
        type   = { type = "string", pattern = "^[A-Za-z0-9._-]{1,64}$" }
        detail = { type = "object" }
      }
    }
  }
  credentials                    = module.api_role.role_arn
  uri                            = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:sns:path//"
  integration_request_parameters = { "integration.request.header.Content-Type" = "'application/x-www-form-urlencoded'" }
  request_templates = {
    "application/json" = join("&", [
      "Action=Publish",
      "TopicArn=$util.urlEncode('${aws_sns_topic.events.arn}')",
      "Message=$util.urlEncode($input.body)",
      "MessageAttributes.entry.1.Name=eventId",
      "MessageAttributes.entry.1.Value.DataType=String",
      "MessageAttributes.entry.1.Value.StringValue=$util.urlEncode($context.requestId)",
      "MessageAttributes.entry.2.Name=eventType",
      "MessageAttributes.entry.2.Value.DataType=String",
      "MessageAttributes.entry.2.Value.StringValue=$util.urlEncode($input.path('$.type'))",
    ])
  }
  responses = {
    "202" = { template = "{\"eventId\": \"$context.requestId\", \"messageId\": \"$input.path('$.PublishResponse.PublishResult.MessageId')\"}" }
    "500" = { selection_pattern = "[45]\\d{2}", template = "{\"message\": \"the event could not be published\"}" }
  }
}

module "api" {
  source = "../../modules/rest-api"

  name              = var.name
  description       = "Publishes ${var.name}'s events to every subscriber whose filter matches"
  paths             = ["/events"]
  request_validator = { name = "body", parameters = false }
  # Everything a deployment snapshots: a changed template or response redeploys the stage.
  redeployment_trigger = module.publish.deployment_hash
  stage_name           = var.stage_name
  throttling           = var.throttling
  logging_level        = var.logging_level
  log_retention_days   = var.log_retention_days
  kms_key_arn          = var.kms_key_arn
  tags                 = var.tags
}
