# Example: the simple-web-service module as a user composes it, on the local cloud.
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
  default     = "example-simple-web-service"
}

variable "package_path" {
  type        = string
  description = "The built simple-web-service zip."
  default     = "../../build/lambdas/simple-web-service.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

# The environment's customer managed key, as staging and prod run the pattern: every table, queue,
# secret and log group below is encrypted with it, and the local cloud checks each use.
module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "service" {
  source = "../../patterns/simple-web-service"

  # authorization_type stays the module's default, AWS_IAM: the tests sign their requests
  name               = var.name
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  log_retention_days = 1
  throttling         = { rate_limit = 10, burst_limit = 20 }
  log_events         = true
  kms_key_arn        = module.key.key_arn
  tags               = { stack = var.name }
}

output "service" {
  value = module.service
}
