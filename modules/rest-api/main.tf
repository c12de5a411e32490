# A REST API (API Gateway v1), regional: its resource tree from paths like "/items/{id}", a request
# validator, and a deployment served by a traced, logged, throttled stage (modules/rest-api-stage).
# The caller adds methods and integrations on `resource_ids` and hands their hash to
# `redeployment_trigger`, so an edit reaches the stage as a new deployment (not only a replaced resource).

locals {
  # "/a/{b}" -> its depth (2), its last part ("{b}") and its parent path ("/a"); the root's children are depth 1.
  paths = {
    for path in var.paths : path => {
      depth  = length(split("/", path)) - 1
      part   = element(split("/", path), length(split("/", path)) - 1)
      parent = join("/", slice(split("/", path), 0, length(split("/", path)) - 1))
    }
  }
}

resource "aws_api_gateway_rest_api" "this" {
  name        = var.name
  description = var.description
  tags        = var.tags

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  lifecycle {
    create_before_destroy = true
  }
}

# One resource per path, a level at a time: a resource's parent must exist before it (depth 1-4).
resource "aws_api_gateway_resource" "level1" {
  for_each = { for path, p in local.paths : path => p if p.depth == 1 }

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_rest_api.this.root_resource_id
  path_part   = each.value.part
}

resource "aws_api_gateway_resource" "level2" {
  for_each = { for path, p in local.paths : path => p if p.depth == 2 }

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level1[each.value.parent].id
  path_part   = each.value.part
}

resource "aws_api_gateway_resource" "level3" {
  for_each = { for path, p in local.paths : path => p if p.depth == 3 }

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level2[each.value.parent].id
  path_part   = each.value.part
}

resource "aws_api_gateway_resource" "level4" {
  for_each = { for path, p in local.paths : path => p if p.depth == 4 }

  rest_api_id = aws_api_gateway_rest_api.this.id
  parent_id   = aws_api_gateway_resource.level3[each.value.parent].id
  path_part   = each.value.part
}

resource "aws_api_gateway_request_validator" "this" {
  count = var.request_validator == null ? 0 : 1

  rest_api_id                 = aws_api_gateway_rest_api.this.id
  name                        = var.request_validator.name
  validate_request_body       = var.request_validator.body
  validate_request_parameters = var.request_validator.parameters
}

module "stage" {
  source = "../rest-api-stage"

  rest_api_id          = aws_api_gateway_rest_api.this.id
  name                 = var.name
  stage_name           = var.stage_name
  redeployment_trigger = var.redeployment_trigger
  throttling           = var.throttling
  logging_level        = var.logging_level
  cache                = var.cache
  log_retention_days   = var.log_retention_days
  kms_key_arn          = var.kms_key_arn
  tags                 = var.tags
}
