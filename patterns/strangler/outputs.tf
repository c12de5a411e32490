output "api_id" {
  description = "The facade's HTTP API id."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "The facade's URL: clients call it instead of the legacy application."
  value       = module.api.api_endpoint
}

output "migrated_routes" {
  description = "The routes the new products service answers."
  value       = sort(distinct(var.migrated_routes))
}

output "function_name" {
  description = "The new products service."
  value       = module.service.function_name
}

output "role_name" {
  description = "The service's role: its table only."
  value       = module.service.role_name
}

output "table_name" {
  description = "The products table of the new service."
  value       = module.products.table_name
}

output "access_log_group_name" {
  description = "The facade's access log: route, status and latency of every request."
  value       = module.api.access_log_group_name
}
