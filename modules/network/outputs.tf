output "vpc_id" {
  description = "Id of the VPC (the one created, or existing_vpc's)."
  value       = local.vpc_id
}

output "subnet_ids" {
  description = "Ids of the private subnets, one per zone (existing_vpc's as given)."
  value       = local.subnet_ids
}

output "security_group_id" {
  description = "Id of the members group: attach functions, databases, proxies and caches to it; members reach each other on the data ports, and AWS APIs through the endpoints."
  value       = aws_security_group.members.id
}

output "endpoints_security_group_id" {
  description = "Id of the interface endpoints' group (HTTPS from the members only)."
  value       = aws_security_group.endpoints.id
}

output "route_table_ids" {
  description = "Ids of the private subnets' route tables (the gateway endpoints' routes are in them)."
  value       = local.route_table_ids
}

output "attachment" {
  description = "The private subnets and the members group, in the shape the patterns' and building blocks' `network`/`vpc` inputs take: { subnet_ids, security_group_ids }."
  value = {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.members.id]
  }
}
