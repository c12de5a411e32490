# Example: P23 with a public API, the database and the replicator in private subnets of a VPC
# (modules/network; the local cloud records the network and serves the database on loopback) and one
# retry of a failing stream batch.
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
  default     = "example-eventually-consistent"
}

variable "package_path" {
  type        = string
  description = "The built eventually-consistent zip."
  default     = "../../build/lambdas/eventually-consistent.zip"
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

# Private subnets in two of the region's zones, a Secrets Manager interface endpoint (the replicator reads
# the database's secret), and one group whose members (replicator, database) reach each other on 5432.
module "network" {
  source = "../../modules/network"

  name                = var.name
  cidr_block          = "10.23.0.0/16"
  gateway_endpoints   = []
  interface_endpoints = ["secretsmanager"]
  data_ports          = [5432]
  log_retention_days  = 1
  kms_key_arn         = module.key.key_arn
  tags                = { stack = var.name }
}

module "copy" {
  source = "../../patterns/eventually-consistent"

  name                   = var.name
  package_path           = var.package_path
  code_bucket            = var.code_bucket
  authorization_type     = "NONE"
  network                = module.network.attachment
  replicator             = { batch_size = 10, maximum_retry_attempts = 1 }
  point_in_time_recovery = false
  log_retention_days     = 1
  kms_key_arn            = module.key.key_arn
  tags                   = { stack = var.name }
}

output "copy" {
  value = module.copy
}
