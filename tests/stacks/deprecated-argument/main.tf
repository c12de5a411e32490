# A root that uses an argument the 5.x provider deprecates: the plan tests'
# deprecation check must see it (proof that the check can fail).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_api_gateway_rest_api" "this" {
  name = "deprecation-probe"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "deprecation-probe", version = "1" }
    paths   = {}
  })
}

resource "aws_api_gateway_deployment" "this" {
  rest_api_id = aws_api_gateway_rest_api.this.id
  stage_name  = "v1"
}
