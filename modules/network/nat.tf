# nat_gateway: one NAT gateway, in a public subnet of the first zone, and the private route table's default
# route to it. One gateway keeps the cost at one hourly charge; a zone outage there cuts the other zones'
# internet path (AWS APIs stay reachable through the endpoints).

locals {
  nat = local.create && var.nat_gateway
}

resource "aws_internet_gateway" "this" {
  count = local.nat ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = var.name })
}

resource "aws_subnet" "public" {
  count = local.nat ? 1 : 0

  vpc_id            = aws_vpc.this[0].id
  availability_zone = data.aws_availability_zones.available[0].names[0]
  cidr_block        = cidrsubnet(var.cidr_block, 4, 15)
  # Only the NAT gateway lives here, on its Elastic IP: nothing else gets a public address.
  map_public_ip_on_launch = false
  tags                    = merge(var.tags, { Name = "${var.name}-public" })

  lifecycle {
    ignore_changes = [availability_zone]
  }
}

resource "aws_route_table" "public" {
  count = local.nat ? 1 : 0

  vpc_id = aws_vpc.this[0].id
  tags   = merge(var.tags, { Name = "${var.name}-public" })
}

resource "aws_route" "public_internet" {
  count = local.nat ? 1 : 0

  route_table_id         = aws_route_table.public[0].id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.this[0].id
}

resource "aws_route_table_association" "public" {
  count = local.nat ? 1 : 0

  subnet_id      = aws_subnet.public[0].id
  route_table_id = aws_route_table.public[0].id
}

resource "aws_eip" "nat" {
  #checkov:skip=CKV2_AWS_19: the address is the NAT gateway's (allocation_id below), not an instance's
  count = local.nat ? 1 : 0

  domain = "vpc"
  tags   = merge(var.tags, { Name = "${var.name}-nat" })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_nat_gateway" "this" {
  count = local.nat ? 1 : 0

  allocation_id = aws_eip.nat[0].id
  subnet_id     = aws_subnet.public[0].id
  tags          = merge(var.tags, { Name = var.name })

  depends_on = [aws_internet_gateway.this]
}

resource "aws_route" "private_internet" {
  count = local.nat ? 1 : 0

  route_table_id         = aws_route_table.private[0].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.this[0].id
}
