# Test root: one REST API with a route per integration type the local front door serves.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

provider "aws" {}

variable "name" {
  type        = string
  description = "Unique prefix for this test stack."
}

variable "package_path" {
  type        = string
  description = "Zip of src/ built by the test."
}

variable "legacy_port" {
  type        = number
  description = "Port of the HTTP server the test runs on 127.0.0.1."
}

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  region = data.aws_region.current.name
  functions = {
    proxy  = { handler = "frontdoor_fixture.handler.proxy", timeout = 5 }
    custom = { handler = "frontdoor_fixture.handler.custom", timeout = 5 }
    slow   = { handler = "frontdoor_fixture.handler.slow", timeout = 5 }
  }
}

module "function" {
  source   = "../../../modules/lambda-function"
  for_each = local.functions

  name               = "${var.name}-${each.key}"
  package_path       = var.package_path
  handler            = each.value.handler
  timeout            = each.value.timeout
  log_retention_days = 1
}

resource "aws_lambda_permission" "api" {
  for_each = local.functions

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = module.function[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.this.execution_arn}/*"
}

resource "aws_sqs_queue" "inbox" {
  name                    = "${var.name}-inbox"
  sqs_managed_sse_enabled = true
}

resource "aws_dynamodb_table" "notes" {
  name         = "${var.name}-notes"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

resource "aws_kinesis_stream" "records" {
  name        = "${var.name}-records"
  shard_count = 1
}

resource "aws_sns_topic" "news" {
  name = "${var.name}-news"
}

resource "aws_iam_role" "sfn" {
  name = "${var.name}-sfn"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "states.amazonaws.com" } }]
  })
}

resource "aws_sfn_state_machine" "flow" {
  name       = "${var.name}-flow"
  role_arn   = aws_iam_role.sfn.arn
  definition = jsonencode({ StartAt = "Done", States = { Done = { Type = "Pass", End = true } } })
}

# The role API Gateway assumes for its AWS service integrations: exactly the calls they make.
resource "aws_iam_role" "api" {
  name = "${var.name}-api"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "api" {
  name = "integrations"
  role = aws_iam_role.api.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.inbox.arn },
      { Effect = "Allow", Action = ["dynamodb:PutItem", "dynamodb:GetItem"], Resource = aws_dynamodb_table.notes.arn },
      { Effect = "Allow", Action = "kinesis:PutRecord", Resource = aws_kinesis_stream.records.arn },
      { Effect = "Allow", Action = "sns:Publish", Resource = aws_sns_topic.news.arn },
      { Effect = "Allow", Action = "states:StartExecution", Resource = aws_sfn_state_machine.flow.arn },
    ]
  })
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}

resource "aws_api_gateway_resource" "top" {
  for_each = toset(["metered", "mock", "queue", "items", "records", "publish", "executions", "proxy", "greet", "slow", "legacy", "http-template"])

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.key
}

resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.top["items"].id
  path_part   = "{id}"
}

resource "aws_api_gateway_resource" "greedy" {
  for_each = toset(["proxy", "legacy"])

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.top[each.key].id
  path_part   = "{proxy+}"
}

module "mock" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["mock"].id
  http_method = "GET"
  integration = {
    type              = "MOCK"
    request_templates = { "application/json" = "{\"statusCode\": #if($input.params('fail') == 'yes')500#{else}200#end}" }
  }
  responses = [
    { status_code = "200", template = "{\"mocked\": true, \"stage\": \"$context.stage\", \"flavour\": \"$stageVariables.flavour\"}" },
    { status_code = "500", selection_pattern = "5\\d{2}", template = "{\"mocked\": \"failure\"}" },
  ]
}

module "metered" {
  source           = "./route"
  rest_api_id      = aws_api_gateway_rest_api.this.id
  resource_id      = aws_api_gateway_resource.top["metered"].id
  http_method      = "GET"
  api_key_required = true
  integration = {
    type              = "MOCK"
    request_templates = { "application/json" = "{\"statusCode\": 200}" }
  }
  responses = [
    { status_code = "200", template = "{\"key\": \"$context.identity.apiKeyId\"}" },
  ]
}

module "queue" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["queue"].id
  http_method = "POST"
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = "arn:aws:apigateway:${local.region}:sqs:path/${data.aws_caller_identity.current.account_id}/${aws_sqs_queue.inbox.name}"
    credentials             = aws_iam_role.api.arn
    request_parameters      = { "integration.request.header.Content-Type" = "'application/x-www-form-urlencoded'" }
    request_templates       = { "application/json" = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)" }
    passthrough_behavior    = "NEVER"
  }
  responses = [
    { status_code = "202", template = "{\"transactionId\": \"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')\", \"status\": \"/status/$input.path('$.SendMessageResponse.SendMessageResult.MessageId')\"}" },
  ]
}

module "put_item" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["items"].id
  http_method = "POST"
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = "arn:aws:apigateway:${local.region}:dynamodb:action/PutItem"
    credentials             = aws_iam_role.api.arn
    request_templates = {
      "application/json" = <<-EOT
        {
          "TableName": "${aws_dynamodb_table.notes.name}",
          "Item": {
            "pk": {"S": "$input.path('$.id')"},
            "note": {"S": "$util.escapeJavaScript($input.path('$.note'))"},
            "raw": {"S": "$util.escapeJavaScript($input.json('$'))"}
          }
        }
      EOT
    }
  }
  responses = [
    { status_code = "200", template = "{\"stored\": \"$input.params('x-note-id')\"}" },
    { status_code = "400", selection_pattern = "4\\d{2}", template = "{\"error\": \"rejected by DynamoDB\"}" },
  ]
}

module "get_item" {
  source             = "./route"
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_resource.item.id
  http_method        = "GET"
  request_parameters = { "method.request.path.id" = true }
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = "arn:aws:apigateway:${local.region}:dynamodb:action/GetItem"
    credentials             = aws_iam_role.api.arn
    request_templates = {
      "application/json" = "{\"TableName\": \"${aws_dynamodb_table.notes.name}\", \"Key\": {\"pk\": {\"S\": \"$input.params('id')\"}}}"
    }
  }
  responses = [
    { status_code = "200", template = "{\"id\": \"$input.path('$.Item.pk.S')\", \"note\": \"$util.escapeJavaScript($input.path('$.Item.note.S'))\", \"raw\": $input.path('$.Item.raw.S')}" },
  ]
}

module "records" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["records"].id
  http_method = "POST"
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = "arn:aws:apigateway:${local.region}:kinesis:action/PutRecord"
    credentials             = aws_iam_role.api.arn
    request_templates = {
      "application/json" = "{\"StreamName\": \"${aws_kinesis_stream.records.name}\", \"PartitionKey\": \"$context.requestId\", \"Data\": \"$util.base64Encode($input.body)\"}"
    }
  }
  responses = [
    { status_code = "200", template = "{\"shard\": \"$input.path('$.ShardId')\", \"sequence\": \"$input.path('$.SequenceNumber')\"}" },
  ]
}

module "publish" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["publish"].id
  http_method = "POST"
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = "arn:aws:apigateway:${local.region}:sns:action/Publish"
    credentials             = aws_iam_role.api.arn
    request_parameters      = { "integration.request.header.Content-Type" = "'application/x-www-form-urlencoded'" }
    request_templates = {
      "application/json" = "TopicArn=$util.urlEncode('${aws_sns_topic.news.arn}')&Message=$util.urlEncode($input.body)"
    }
  }
  responses = [
    { status_code = "200", template = "{\"messageId\": \"$input.path('$.PublishResponse.PublishResult.MessageId')\"}" },
  ]
}

module "executions" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["executions"].id
  http_method = "POST"
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = "arn:aws:apigateway:${local.region}:states:action/StartExecution"
    credentials             = aws_iam_role.api.arn
    request_templates = {
      "application/json" = "{\"stateMachineArn\": \"${aws_sfn_state_machine.flow.arn}\", \"name\": \"$context.requestId\", \"input\": \"$util.escapeJavaScript($input.json('$'))\"}"
    }
  }
  responses = [
    { status_code = "200", template = "{\"executionArn\": \"$input.path('$.executionArn')\"}" },
  ]
}

module "proxy" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.greedy["proxy"].id
  http_method = "ANY"
  integration = {
    type                    = "AWS_PROXY"
    integration_http_method = "POST"
    uri                     = module.function["proxy"].invoke_arn
  }
}

module "greet" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["greet"].id
  http_method = "POST"
  integration = {
    type                    = "AWS"
    integration_http_method = "POST"
    uri                     = module.function["custom"].invoke_arn
    request_templates       = { "application/json" = "{\"name\": $input.json('$.name')}" }
  }
  responses = [
    { status_code = "200", template = "{\"message\": \"$input.path('$.greeting')\"}" },
    { status_code = "404", selection_pattern = "NotFound:.*", template = "{\"error\": \"$util.escapeJavaScript($input.path('$.errorMessage'))\"}" },
  ]
}

module "slow" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["slow"].id
  http_method = "GET"
  integration = {
    type                    = "AWS_PROXY"
    integration_http_method = "POST"
    uri                     = module.function["slow"].invoke_arn
    timeout_milliseconds    = 1000
  }
}

module "legacy" {
  source             = "./route"
  rest_api_id        = aws_api_gateway_rest_api.this.id
  resource_id        = aws_api_gateway_resource.greedy["legacy"].id
  http_method        = "ANY"
  request_parameters = { "method.request.path.proxy" = true }
  integration = {
    type                    = "HTTP_PROXY"
    integration_http_method = "ANY"
    uri                     = "http://127.0.0.1:${var.legacy_port}/app/{proxy}"
    request_parameters      = { "integration.request.path.proxy" = "method.request.path.proxy" }
  }
}

module "http_template" {
  source      = "./route"
  rest_api_id = aws_api_gateway_rest_api.this.id
  resource_id = aws_api_gateway_resource.top["http-template"].id
  http_method = "POST"
  integration = {
    type                    = "HTTP"
    integration_http_method = "POST"
    uri                     = "http://127.0.0.1:${var.legacy_port}/echo"
    request_templates       = { "application/json" = "{\"wrapped\": $input.json('$'), \"via\": \"$context.httpMethod\"}" }
  }
  responses = [
    { status_code = "200" },
  ]
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id

  triggers = {
    redeployment = sha1(jsonencode([
      module.metered.ids, module.mock.ids, module.queue.ids, module.put_item.ids, module.get_item.ids, module.records.ids,
      module.publish.ids, module.executions.ids, module.proxy.ids, module.greet.ids, module.slow.ids,
      module.legacy.ids, module.http_template.ids,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "test" {
  rest_api_id   = aws_api_gateway_rest_api.this.id
  deployment_id = aws_api_gateway_deployment.this.id
  stage_name    = "test"
  variables     = { flavour = "vanilla" }
}

resource "aws_api_gateway_api_key" "keys" {
  for_each = { partner = true, revoked = false, unplanned = true, quota = true }

  name    = "${var.name}-${each.key}"
  enabled = each.value
}

resource "aws_api_gateway_usage_plan" "partners" {
  name = "${var.name}-partners"

  api_stages {
    api_id = aws_api_gateway_rest_api.this.id
    stage  = aws_api_gateway_stage.test.stage_name
  }

  throttle_settings {
    rate_limit  = 1
    burst_limit = 3
  }

  quota_settings {
    limit  = 5
    period = "DAY"
  }
}

resource "aws_api_gateway_usage_plan_key" "partners" {
  for_each = toset(["partner", "revoked", "quota"])

  key_id        = aws_api_gateway_api_key.keys[each.key].id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.partners.id
}

output "api_keys" {
  value     = { for name, key in aws_api_gateway_api_key.keys : name => { id = key.id, value = key.value } }
  sensitive = true
}

output "news_topic_arn" {
  value = aws_sns_topic.news.arn
}

output "api_id" {
  value = aws_api_gateway_rest_api.this.id
}

output "queue_url" {
  value = aws_sqs_queue.inbox.url
}

output "table_name" {
  value = aws_dynamodb_table.notes.name
}

output "stream_name" {
  value = aws_kinesis_stream.records.name
}

output "state_machine_arn" {
  value = aws_sfn_state_machine.flow.arn
}
