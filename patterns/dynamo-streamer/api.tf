# The front door: API Gateway validates the request and writes the item to DynamoDB itself. No
# function runs on the write path; the stream takes the change to the consumer afterwards.

module "api_role" {
  source = "../../modules/api-gateway-service-role"

  name = var.name
  tags = var.tags
  policy_statements = concat([
    { sid = "WriteMessages", actions = ["dynamodb:PutItem"], resources = [module.messages.table_arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "TableKey", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.kms_key_arn] },
  ])
}

module "post" {
  source = "../../modules/rest-service-integration"

  rest_api_id          = module.api.rest_api_id
  resource_id          = module.api.resource_ids["/messages"]
  http_method          = "POST"
  authorization_type   = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_model = {
    name = "Message"
    schema = {
      "$schema"            = "http://json-schema.org/draft-04/schema#"
      type                 = "object"
      required             = ["message", "author"]
      additionalProperties = false
      properties = {
        message = { type = "string", minLength = 1, maxLength = 4000 }
        author  = { type = "string", minLength = 1, maxLength = 200 }
      }
    }
  }
  credentials = module.api_role.role_arn
  uri         = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:dynamodb:action/PutItem"
  # The request id is the message id: unique per request, and the condition refuses to overwrite.
  # $input.json prints each string as a JSON string (escapeJavaScript would turn ' into \', not JSON).
  request_templates = {
    "application/json" = <<-EOT
      {
        "TableName": "${module.messages.table_name}",
        "Item": {
          "id": {"S": "$context.requestId"},
          "message": {"S": $input.json('$.message')},
          "author": {"S": $input.json('$.author')},
          "createdAt": {"N": "$context.requestTimeEpoch"}
        },
        "ConditionExpression": "attribute_not_exists(id)"
      }
    EOT
  }
  responses = {
    "201" = { template = "{\"id\": \"$context.requestId\"}" }
    "500" = { selection_pattern = "[45]\\d{2}", template = "{\"message\": \"the message could not be stored\"}" }
  }
}

module "api" {
  source = "../../modules/rest-api"

  name              = var.name
  description       = "Writes ${var.name}'s messages straight to DynamoDB"
  paths             = ["/messages"]
  request_validator = { name = "body", parameters = false }
  # Everything a deployment snapshots: a changed template or response redeploys the stage.
  redeployment_trigger = module.post.deployment_hash
  stage_name           = var.stage_name
  throttling           = var.throttling
  logging_level        = var.logging_level
  log_retention_days   = var.log_retention_days
  kms_key_arn          = var.kms_key_arn
  tags                 = var.tags
}
