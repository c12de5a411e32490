# A VPC for the functions and data stores that must live in one: private subnets in several zones, no
# internet path unless nat_gateway, AWS APIs reached through endpoints, and one security group whose
# members reach each other on the data ports only. With existing_vpc, only the groups and endpoints.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  create = var.existing_vpc == null
}

# Zones, not local or wavelength zones, that are up: never hard-coded, so the module works in any region.
data "aws_availability_zones" "available" {
  #checkov:skip=CKV_AWS_394: the zones are looked up, never typed, so one module serves every region; the subnets take the first availability_zone_count of the sorted names and ignore later changes of the list (aws_subnet.private), so a zone AWS adds changes nothing
  count = local.create ? 1 : 0

  state = "available"
  filter {
    name   = "zone-type"
    values = ["availability-zone"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.availability_zone_count
      error_message = "availability_zone_count is ${var.availability_zone_count}, but the region has ${length(self.names)} available zones."
    }
  }
}

resource "aws_vpc" "this" {
  count = local.create ? 1 : 0

  cidr_block = var.cidr_block
  # Interface endpoints answer the services' own names (private DNS) only where the VPC resolves names.
  enable_dns_support   = true
  enable_dns_hostnames = true
  tags                 = merge(var.tags, { Name = var.name })
}

# The VPC's default group admits its own members and lets everything out: emptied, so nothing lands in it
# by omission (resources here name the members or endpoints group).
resource "aws_default_security_group" "this" {
  count = local.create ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-default-unused" })
}

# Private subnets, one per zone, carved from the VPC's range in sixteenths (index 15 is the public one).
resource "aws_subnet" "private" {
  count = local.create ? var.availability_zone_count : 0

  vpc_id                  = aws_vpc.this[0].id
  availability_zone       = data.aws_availability_zones.available[0].names[count.index]
  cidr_block              = cidrsubnet(var.cidr_block, 4, count.index)
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-private-${count.index + 1}" })

  lifecycle {
    # A zone the lookup stops listing (impaired when planned) must not replace a subnet the stores live in.
    ignore_changes = [availability_zone]
  }
}

resource "aws_route_table" "private" {
  count = local.create ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-private" })
}

resource "aws_route_table_association" "private" {
  count = local.create ? var.availability_zone_count : 0

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[0].id
}

# An existing VPC: each given subnet's zone, and the route table it uses (its own, else the VPC's main one).
# Keyed by position, so subnets created in the same root (ids unknown until apply) can be given.
data "aws_subnet" "existing" {
  for_each = local.create ? {} : { for index, id in var.existing_vpc.subnet_ids : tostring(index) => id }

  id = each.value

  lifecycle {
    postcondition {
      condition     = self.vpc_id == var.existing_vpc.vpc_id
      error_message = "existing_vpc.subnet_ids must be subnets of existing_vpc.vpc_id."
    }
  }
}

data "aws_route_tables" "existing" {
  for_each = local.create ? {} : { for index, id in var.existing_vpc.subnet_ids : tostring(index) => id }

  vpc_id = var.existing_vpc.vpc_id
  filter {
    name   = "association.subnet-id"
    values = [each.value]
  }
}

data "aws_route_table" "existing_main" {
  count = local.create ? 0 : 1

  vpc_id = var.existing_vpc.vpc_id
  filter {
    name   = "association.main"
    values = ["true"]
  }
}

locals {
  vpc_id     = local.create ? aws_vpc.this[0].id : var.existing_vpc.vpc_id
  subnet_ids = local.create ? aws_subnet.private[*].id : var.existing_vpc.subnet_ids
  route_table_ids = local.create ? aws_route_table.private[*].id : distinct([
    for index, tables in data.aws_route_tables.existing : try(tables.ids[0], data.aws_route_table.existing_main[0].id)
  ])
  # An interface endpoint takes one subnet per zone.
  existing_zones = local.create ? {} : { for subnet in data.aws_subnet.existing : subnet.availability_zone => subnet.id... }
  endpoint_subnet_ids = local.create ? aws_subnet.private[*].id : [
    for zone in sort(keys(local.existing_zones)) : local.existing_zones[zone][0]
  ]
}
