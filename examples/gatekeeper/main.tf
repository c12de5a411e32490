# Example: P02 with API keys (TOKEN authorizer, decisions cached 300 s), or a Cognito user pool
# (identity = "cognito").
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
  description = "Prefix of every resource (the tests pass a unique one)."
  default     = "example-gatekeeper"
}

variable "package_path" {
  type        = string
  description = "The built gatekeeper zip."
  default     = "../../build/lambdas/gatekeeper.zip"
}

variable "identity" {
  type        = string
  description = "api_key or cognito."
  default     = "api_key"
}

module "gatekeeper" {
  source = "../../patterns/gatekeeper"

  name                   = var.name
  package_path           = var.package_path
  identity               = var.identity
  point_in_time_recovery = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "gatekeeper" {
  value = module.gatekeeper
}
