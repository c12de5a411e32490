# AWS APIs reached from inside the VPC without an internet path: gateway endpoints (DynamoDB, S3; free) on
# the private route tables, interface endpoints (billed per zone and hour) in the private subnets, each
# answering the service's own name (private DNS). Every endpoint's policy admits principals of this
# account only: a credential of another account cannot carry data out through it.

locals {
  endpoint_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PrincipalsOfThisAccount"
      Effect    = "Allow"
      Principal = "*"
      Action    = "*"
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_vpc_endpoint" "gateway" {
  for_each = var.gateway_endpoints

  vpc_id            = local.vpc_id
  service_name      = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = local.route_table_ids
  policy            = local.endpoint_policy
  tags              = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_vpc_endpoint" "interface" {
  for_each = var.interface_endpoints

  vpc_id              = local.vpc_id
  service_name        = "com.amazonaws.${data.aws_region.current.name}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = local.endpoint_subnet_ids
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true
  policy              = local.endpoint_policy
  tags                = merge(var.tags, { Name = "${var.name}-${each.key}" })
}
