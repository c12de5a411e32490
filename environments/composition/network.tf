# The VPC P23's and P24's databases, proxies, cache and VPC-attached functions share (modules/network). In
# AWS a function outside a VPC cannot reach a database that is not publicly accessible, so every
# environment deploying either pattern has one: private subnets, AWS APIs through endpoints, no internet
# path unless settings.network.nat_gateway.
locals {
  needs_network = local.enabled["eventually-consistent"] || local.enabled["read-heavy-reporting"]
}

module "network" {
  source = "../../modules/network"
  count  = local.needs_network ? 1 : 0

  name                    = "${local.prefix}-network"
  cidr_block              = var.settings.network.cidr_block
  availability_zone_count = var.settings.network.availability_zone_count
  nat_gateway             = var.settings.network.nat_gateway
  existing_vpc            = var.settings.network.existing_vpc
  # The functions in the VPC call DynamoDB (P24's reader: view counters, the board), never S3.
  gateway_endpoints   = ["dynamodb"]
  interface_endpoints = var.settings.network.interface_endpoints
  log_retention_days  = var.settings.log_retention_days
  kms_key_arn         = local.kms_key_arn
}
