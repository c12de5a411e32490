# Example: P24 as a real environment shapes it: database, cache, reader and writer in private subnets
# of a VPC, the functions reaching PostgreSQL through an RDS Proxy; a public API, a one-minute cache
# TTL and a board of the top 3. (The local cloud records the network and serves everything on loopback.)
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

resource "aws_vpc" "this" {
  #checkov:skip=CKV2_AWS_11: an example's network; flow logs belong to the account's VPCs
  #checkov:skip=CKV2_AWS_12: the example's default security group is not used
  cidr_block = "10.24.0.0/16"
  tags       = { Name = var.name }
}

resource "aws_subnet" "private" {
  count = 2

  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.24.${count.index + 1}.0/24"
  availability_zone = "us-east-1${["a", "b"][count.index]}"
  tags              = { Name = "${var.name}-private-${count.index}" }
}

# One group for the functions, the proxy, the database and the cache: members reach each other only.
resource "aws_security_group" "data" {
  name        = "${var.name}-data"
  description = "Functions, proxy, database and cache of ${var.name}"
  vpc_id      = aws_vpc.this.id

  ingress {
    description = "PostgreSQL and the cache from members"
    from_port   = 5432
    to_port     = 6380
    protocol    = "tcp"
    self        = true
  }

  egress {
    description = "Members, and AWS APIs through endpoints in the VPC"
    from_port   = 0
    to_port     = 65535
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.this.cidr_block]
  }
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
  authorization_type     = "NONE"
  network                = { subnet_ids = aws_subnet.private[*].id, security_group_ids = [aws_security_group.data.id] }
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
