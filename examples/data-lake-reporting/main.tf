# Example: P27 with a short reporter timeout and visibility (a failed day comes back within seconds), two
# tries before the dead-letter queue, and Athena's minimum scan limit, so the tests see a report, each kind
# of failure and the message kept, within their patience; days are reported as files arrive and every
# evening at 23:30 in London (the day so far).
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
  default     = "example-data-lake-reporting"
}

variable "package_path" {
  type        = string
  description = "The built data-lake-reporting zip."
  default     = "../../build/lambdas/data-lake-reporting.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

module "data_lake_reporting" {
  source = "../../patterns/data-lake-reporting"

  name                = var.name
  package_path        = var.package_path
  code_bucket         = var.code_bucket
  reporter            = { timeout_seconds = 10, batch_size = 5 }
  retry_after_seconds = 10
  max_receive_count   = 2
  query_scan_limit_mb = 10
  report_triggers = {
    on_upload = true
    schedule  = { expression = "cron(30 23 * * ? *)", timezone = "Europe/London", days_back = 0 }
  }
  log_retention_days = 1
  tags               = { stack = var.name }
}

output "data_lake_reporting" {
  value = module.data_lake_reporting
}
