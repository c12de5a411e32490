# The front door: API Gateway writes requests straight to the queue and reads results straight
# from the table. No function runs on the request path, so a burst costs nothing but queue depth.

module "api_role" {
  source = "../../modules/api-gateway-service-role"

  name = var.name
  tags = var.tags
  policy_statements = concat([
    { sid = "QueueRequests", actions = ["sqs:SendMessage"], resources = [module.requests.queue_arn] },
    { sid = "ReadResults", actions = ["dynamodb:GetItem"], resources = [module.results.table_arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "QueueKey", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.kms_key_arn] },
  ])
}

module "submit" {
  source = "../../modules/rest-service-integration"

  rest_api_id          = module.api.rest_api_id
  resource_id          = module.api.resource_ids["/requests"]
  http_method          = "POST"
  authorization_type   = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_model = {
    name = "WorkRequest"
    schema = {
      "$schema" = "http://json-schema.org/draft-04/schema#"
      type      = "object"
      required  = ["customer", "amount"]
      properties = {
        customer = { type = "string", minLength = 1, maxLength = 200 }
        amount   = { type = "number" }
      }
    }
  }
  credentials                    = module.api_role.role_arn
  uri                            = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:sqs:path/${data.aws_caller_identity.current.account_id}/${module.requests.queue_name}"
  integration_request_parameters = { "integration.request.header.Content-Type" = "'application/x-www-form-urlencoded'" }
  request_templates              = { "application/json" = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)" }
  responses = {
    "202" = {
      template = <<-EOT
        #set($id = $input.path('$.SendMessageResponse.SendMessageResult.MessageId'))
        {"transactionId": "$id", "status": "requests/$id"}
      EOT
    }
    "500" = { selection_pattern = "[45]\\d{2}", template = "{\"message\": \"the request could not be queued\"}" }
  }
}

module "status" {
  source = "../../modules/rest-service-integration"

  rest_api_id          = module.api.rest_api_id
  resource_id          = module.api.resource_ids["/requests/{id}"]
  http_method          = "GET"
  authorization_type   = var.authorization_type
  request_validator_id = module.api.request_validator_id
  request_parameters   = { "method.request.path.id" = true }
  credentials          = module.api_role.role_arn
  uri                  = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:dynamodb:action/GetItem"
  passthrough_behavior = null # a GET has no body: API Gateway's default
  request_templates = {
    "application/json" = "{\"TableName\": \"${module.results.table_name}\", \"Key\": {\"transactionId\": {\"S\": \"$util.escapeJavaScript($input.params('id'))\"}}}"
  }
  # GetItem answers {} for an id with no result yet: the request is still queued (or unknown).
  responses = {
    "200" = {
      template = <<-EOT
        #if($input.json('$') == "{}")
        {"transactionId": "$util.escapeJavaScript($input.params('id'))", "status": "PENDING"}
        #else
        {"transactionId": "$input.path('$.Item.transactionId.S')", "status": "$input.path('$.Item.status.S')", "fee": "$input.path('$.Item.result.M.fee.S')", "processedAt": "$input.path('$.Item.processedAt.S')"}
        #end
      EOT
    }
  }
}

module "api" {
  source = "../../modules/rest-api"

  name        = var.name
  description = "Accepts work for ${var.name} at any rate; a consumer processes it at its own"
  paths       = ["/requests", "/requests/{id}"]
  # Everything a deployment snapshots: a changed template or response redeploys the stage.
  redeployment_trigger = sha1(jsonencode([module.submit.deployment_hash, module.status.deployment_hash]))
  stage_name           = var.stage_name
  throttling           = var.throttling
  logging_level        = var.logging_level
  log_retention_days   = var.log_retention_days
  kms_key_arn          = var.kms_key_arn
  tags                 = var.tags
}
