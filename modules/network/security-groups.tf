# Two groups. `members` (functions, RDS, RDS Proxy, ElastiCache attach to it) admits only itself, on the
# data ports, and may reach itself on them, the endpoints and the gateway endpoints' services on 443 (and
# HTTPS anywhere with nat_gateway). `endpoints` (the interface endpoints) admits members on 443 only.
# One rule per resource: each is added or removed alone, without rewriting the group.

locals {
  data_ports = { for port in var.data_ports : tostring(port) => port }
}

resource "aws_security_group" "members" {
  #checkov:skip=CKV2_AWS_5: the group is the module's output (security_group_id, attachment): the callers attach functions, databases, proxies and caches to it
  name        = "${var.name}-members"
  description = "Functions and data stores of ${var.name}: they reach each other on the data ports"
  vpc_id      = local.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-members" })

  lifecycle {
    precondition {
      condition     = local.create || length(local.existing_zones) >= 2
      error_message = "existing_vpc.subnet_ids must be in at least two availability zones (RDS subnet groups need two)."
    }
    precondition {
      condition     = local.create || !var.nat_gateway
      error_message = "nat_gateway creates a public subnet and a route in a VPC of the module's own: not with existing_vpc (route your subnets to your own NAT)."
    }
  }
}

resource "aws_security_group" "endpoints" {
  name        = "${var.name}-endpoints"
  description = "Interface endpoints of ${var.name}: HTTPS from the members only"
  vpc_id      = local.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-endpoints" })
}

resource "aws_vpc_security_group_ingress_rule" "members_data" {
  for_each = local.data_ports

  security_group_id            = aws_security_group.members.id
  description                  = "Port ${each.key} from members"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.members.id
  tags                         = var.tags
}

resource "aws_vpc_security_group_egress_rule" "members_data" {
  for_each = local.data_ports

  security_group_id            = aws_security_group.members.id
  description                  = "Port ${each.key} to members"
  ip_protocol                  = "tcp"
  from_port                    = each.value
  to_port                      = each.value
  referenced_security_group_id = aws_security_group.members.id
  tags                         = var.tags
}

resource "aws_vpc_security_group_egress_rule" "members_to_endpoints" {
  count = length(var.interface_endpoints) > 0 ? 1 : 0

  security_group_id            = aws_security_group.members.id
  description                  = "HTTPS to the interface endpoints"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.endpoints.id
  tags                         = var.tags
}

resource "aws_vpc_security_group_egress_rule" "members_to_gateway_endpoints" {
  for_each = var.gateway_endpoints

  security_group_id = aws_security_group.members.id
  description       = "HTTPS to ${each.key} through its gateway endpoint"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_vpc_endpoint.gateway[each.key].prefix_list_id
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "members_to_internet" {
  count = local.nat ? 1 : 0

  security_group_id = aws_security_group.members.id
  description       = "HTTPS to the internet through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "endpoints_from_members" {
  security_group_id            = aws_security_group.endpoints.id
  description                  = "HTTPS from members"
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.members.id
  tags                         = var.tags
}
