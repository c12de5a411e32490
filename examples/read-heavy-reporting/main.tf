# Example: P24 as a real environment shapes it: database, cache, reader and writer in private subnets
# of a VPC (modules/network), the functions reaching PostgreSQL through an RDS Proxy; a public API, a
# one-minute cache TTL and a board of the top 3. (The local cloud records the network and serves
# everything on loopback.)
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
  default     = "example-read-heavy-reporting"
}

variable "package_path" {
  type        = string
  description = "The built read-heavy-reporting zip."
  default     = "../../build/lambdas/read-heavy-reporting.zip"
}

variable "code_bucket" {
  type        = string
  description = "Existing bucket for the functions' code (the tests pass one per local cloud); null uploads each zip with its function."
  default     = null
}

# The network as environments make it (modules/network): private subnets in two of the region's zones,
# a DynamoDB gateway endpoint and a Secrets Manager interface endpoint (what the reader and writer call),
# and one group whose members (functions, proxy, database, cache) reach each other on 5432 and 6379 only.
module "network" {
  source = "../../modules/network"

  name                = var.name
  cidr_block          = "10.24.0.0/16"
  gateway_endpoints   = ["dynamodb"]
  interface_endpoints = ["secretsmanager"]
  log_retention_days  = 1
  kms_key_arn         = module.key.key_arn
  tags                = { stack = var.name }
}

# The environment's customer managed key, as staging and prod run the pattern: every table, queue,
# secret and log group below is encrypted with it, and the local cloud checks each use.
module "key" {
  source = "../../modules/kms-key"

  name                    = var.name
  deletion_window_in_days = 7
  tags                    = { stack = var.name }
}

module "reports" {
  source = "../../patterns/read-heavy-reporting"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  authorization_type     = "NONE"
  network                = module.network.attachment
  database               = { proxy = true }
  cache                  = { ttl_seconds = 60 }
  top_n                  = 3
  ranker                 = { batch_size = 10, maximum_retry_attempts = 1 }
  point_in_time_recovery = false
  log_retention_days     = 1
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

output "reports" {
  value = module.reports
}
