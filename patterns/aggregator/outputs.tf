output "api_id" {
  description = "The API's id."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "The API's URL: GET /customers/{customerId}/overview."
  value       = module.api.api_endpoint
}

output "function_name" {
  description = "The aggregator function."
  value       = module.function.function_name
}

output "parts" {
  description = "The parts an overview is made of."
  value       = sort(keys(var.downstreams))
}
