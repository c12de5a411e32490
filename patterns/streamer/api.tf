# The front door: API Gateway checks each reading's shape and puts it on the stream itself, as its own
# role. What a reading means (a finite value, a time with a zone) is the transform's to judge: other
# producers may write to the stream directly.

module "api_role" {
  source = "../../modules/api-gateway-service-role"

  name = var.name
  tags = var.tags
  policy_statements = concat([
    { sid = "PutReadings", actions = ["kinesis:PutRecord"], resources = [aws_kinesis_stream.readings.arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "StreamKey", actions = ["kms:GenerateDataKey"], resources = [var.kms_key_arn] },
  ])
}

module "post" {
  source = "../../modules/rest-service-integration"

  rest_api_id          = module.api.rest_api_id
  resource_id          = module.api.resource_ids["/readings"]
  http_method          = "POST"
  authorization_type   = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_model = {
    name = "Reading"
    schema = {
      "$schema" = "http://json-schema.org/draft-04/schema#"
      type      = "object"
      required  = ["deviceId", "metric", "value"]
      properties = {
        deviceId = { type = "string", minLength = 1, maxLength = 64 }
        metric   = { type = "string", minLength = 1, maxLength = 64 }
      }
    }
  }
  credentials                    = module.api_role.role_arn
  uri                            = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:kinesis:action/PutRecord"
  integration_request_parameters = { "integration.request.header.Content-Type" = "'application/x-amz-json-1.1'" }
  # The device id is the partition key: one device's readings stay in order on one shard.
  request_templates = {
    "application/json" = <<-EOT
      {
        "StreamName": "${aws_kinesis_stream.readings.name}",
        "Data": "$util.base64Encode($input.body)",
        "PartitionKey": $input.json('$.deviceId')
      }
    EOT
  }
  responses = {
    "202" = { template = "{\"sequenceNumber\": \"$input.path('$.SequenceNumber')\", \"shardId\": \"$input.path('$.ShardId')\"}" }
    "500" = { selection_pattern = "[45]\\d{2}", template = "{\"message\": \"the reading could not be taken\"}" }
  }
}

module "api" {
  source = "../../modules/rest-api"

  name              = var.name
  description       = "Puts ${var.name}'s readings on the stream"
  paths             = ["/readings"]
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
