# Test root: one REST method integrated with SQS through modules/rest-service-integration, deployed by
# modules/rest-api-stage. The answer template is a variable, so a test can edit it and plan.
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

variable "accepted_template" {
  type        = string
  description = "The 202 answer's mapping template."
  default     = "{\"queued\": \"$input.path('$.SendMessageResponse.SendMessageResult.MessageId')\"}"
}

variable "queue_url" {
  type        = string
  description = "A queue the test made (so the stack has no aws_sqs_queue and its ~25 s provider wait)."
}

data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  queue_path = join("/", slice(split("/", var.queue_url), 3, 5)) # <account>/<queue name>
}

module "api_role" {
  source = "../../../modules/api-gateway-service-role"

  name              = var.name
  policy_statements = [{ sid = "Send", actions = ["sqs:SendMessage"], resources = ["*"] }]
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}

resource "aws_api_gateway_resource" "jobs" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = "jobs"
}

module "submit" {
  source = "../../../modules/rest-service-integration"

  rest_api_id                    = aws_api_gateway_rest_api.this.id
  resource_id                    = aws_api_gateway_resource.jobs.id
  http_method                    = "POST"
  authorization_type             = "NONE"
  credentials                    = module.api_role.role_arn
  uri                            = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:sqs:path/${local.queue_path}"
  integration_request_parameters = { "integration.request.header.Content-Type" = "'application/x-www-form-urlencoded'" }
  request_templates              = { "application/json" = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)" }
  responses = {
    "202" = { template = var.accepted_template }
    "500" = { selection_pattern = "[45]\\d{2}", template = "{\"message\": \"not queued\"}" }
  }
}

module "stage" {
  source = "../../../modules/rest-api-stage"

  rest_api_id          = aws_api_gateway_rest_api.this.id
  name                 = var.name
  stage_name           = "v1"
  redeployment_trigger = module.submit.deployment_hash
  logging_level        = "OFF"
  log_retention_days   = 1
}

output "api_id" {
  value = aws_api_gateway_rest_api.this.id
}
