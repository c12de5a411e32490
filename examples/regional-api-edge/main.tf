# Example: P30 regional-api-edge as prod runs it: the environment's customer managed key on the table and
# logs, and a list the edge keeps a minute.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

# Region, endpoint and credentials come from the environment (AWS_REGION, AWS_ENDPOINT_URL).
provider "aws" {}

variable "name" {
  type        = string
  description = "Prefix of every resource (the tests pass a unique one)."
  default     = "example-regional-api-edge"
}

variable "package_path" {
  type        = string
  description = "The built regional-api-edge zip."
  default     = "../../build/lambdas/regional-api-edge.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "regional_api_edge" {
  source = "../../patterns/regional-api-edge"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  public_max_age_seconds = 60
  kms_key_arn            = module.key.key_arn
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

output "regional_api_edge" {
  value = module.regional_api_edge
}
