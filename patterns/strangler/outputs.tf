output "api_id" {
  description = "The facade's HTTP API id."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "The facade's URL: clients call it instead of the legacy application."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "migrated_routes" {
  description = "The routes the new products service answers."
  value       = sort(tolist(local.migrated))
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
  value       = module.products.name
}

output "access_log_group_name" {
  description = "The facade's access log: route, status and latency of every request."
  value       = module.stage.access_log_group_name
}
