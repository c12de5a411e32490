# Example: P03's inventory service, a checkout function of this account calling it, and a partner
# account admitted through the service's resource policy.
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
  default     = "example-internal-api"
}

variable "package_path" {
  type        = string
  description = "The built internal-api zip."
  default     = "../../build/lambdas/internal-api.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "partner_account_id" {
  type        = string
  description = "Another account whose functions may call the service."
  default     = "210987654321"
}

module "internal_api" {
  source = "../../patterns/internal-api"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  invoker_principals     = [var.partner_account_id]
  point_in_time_recovery = false
  deletion_protection    = false
  log_retention_days     = 1
  tags                   = { stack = var.name }
}

# A caller of this account: its role may invoke the service and nothing else.
module "checkout" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-checkout"
  description        = "Reserves stock for orders through the inventory service"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "internal_api.handler.checkout"
  timeout            = 20
  log_retention_days = 1
  environment        = { INVENTORY_FUNCTION = module.internal_api.function_name }
  tags               = { stack = var.name }
}

resource "aws_iam_role_policy" "checkout_may_call_inventory" {
  name   = "invoke-inventory"
  role   = module.checkout.role_name
  policy = module.internal_api.invoker_policy_json
}

output "internal_api" {
  value = module.internal_api
}

output "checkout_function_name" {
  value = module.checkout.function_name
}

output "checkout_role_name" {
  value = module.checkout.role_name
}
