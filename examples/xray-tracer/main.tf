# Example: P28 xray-tracer, every order traced (a reference deployment to look at traces, not production's rate).
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
  default     = "example-checkout"
}

variable "package_path" {
  type        = string
  description = "The built xray-tracer zip."
  default     = "../../build/lambdas/xray-tracer.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

variable "stock_service_url" {
  type        = string
  description = "The stock service checkout asks: GET <url>?sku=...&quantity=..."
  default     = "https://stock.example.com/items"
}

module "xray_tracer" {
  source = "../../patterns/xray-tracer"

  name               = var.name
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  stock_service      = { url = var.stock_service_url, timeout_ms = 1000 }
  sampling           = { fixed_rate = 1, reservoir_per_second = 1 }
  authorization_type = "NONE"
  log_retention_days = 1
  tags               = { stack = var.name }
}

output "xray_tracer" {
  value = module.xray_tracer
}
