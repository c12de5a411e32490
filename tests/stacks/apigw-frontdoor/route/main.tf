# Test-only helper: one method with its integration and its responses.
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

variable "rest_api_id" {
  type = string
}

variable "resource_id" {
  type = string
}

variable "http_method" {
  type = string
}

variable "api_key_required" {
  type    = bool
  default = false
}

variable "request_parameters" {
  type    = map(bool)
  default = {}
}

variable "integration" {
  type = object({
    type                    = string
    uri                     = optional(string)
    integration_http_method = optional(string)
    request_templates       = optional(map(string), {})
    request_parameters      = optional(map(string), {})
    passthrough_behavior    = optional(string)
    timeout_milliseconds    = optional(number, 29000)
    credentials             = optional(string) # the role API Gateway assumes for an AWS service call
  })
}

variable "responses" {
  type = list(object({
    status_code       = string
    selection_pattern = optional(string)
    template          = optional(string)
  }))
  default = []
}

resource "aws_api_gateway_method" "this" {
  rest_api_id        = var.rest_api_id
  resource_id        = var.resource_id
  http_method        = var.http_method
  authorization      = "NONE"
  api_key_required   = var.api_key_required
  request_parameters = var.request_parameters
}

resource "aws_api_gateway_integration" "this" {
  rest_api_id             = var.rest_api_id
  resource_id             = var.resource_id
  http_method             = aws_api_gateway_method.this.http_method
  type                    = var.integration.type
  uri                     = var.integration.uri
  integration_http_method = var.integration.integration_http_method
  request_templates       = var.integration.request_templates
  request_parameters      = var.integration.request_parameters
  passthrough_behavior    = var.integration.passthrough_behavior
  timeout_milliseconds    = var.integration.timeout_milliseconds
  credentials             = var.integration.credentials
}

resource "aws_api_gateway_method_response" "this" {
  for_each = { for r in var.responses : r.status_code => r }

  rest_api_id = var.rest_api_id
  resource_id = var.resource_id
  http_method = aws_api_gateway_method.this.http_method
  status_code = each.key
}

resource "aws_api_gateway_integration_response" "this" {
  for_each = { for r in var.responses : r.status_code => r }

  rest_api_id       = var.rest_api_id
  resource_id       = var.resource_id
  http_method       = aws_api_gateway_method.this.http_method
  status_code       = aws_api_gateway_method_response.this[each.key].status_code
  selection_pattern = each.value.selection_pattern
  response_templates = each.value.template == null ? null : {
    "application/json" = each.value.template
  }

  depends_on = [aws_api_gateway_integration.this]
}

output "ids" {
  value = concat([aws_api_gateway_method.this.id, aws_api_gateway_integration.this.id],
  [for r in aws_api_gateway_integration_response.this : r.id])
}
