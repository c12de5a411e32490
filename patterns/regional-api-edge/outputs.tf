output "distribution_id" {
  description = "The distribution in front of the API."
  value       = aws_cloudfront_distribution.api.id
}

output "domain_name" {
  description = "The distribution's own domain name (<id>.cloudfront.net); point var.domain's name at it."
  value       = aws_cloudfront_distribution.api.domain_name
}

output "api_url" {
  description = "Where clients call the API: through the edge (https://<domain>/products)."
  value       = "https://${var.domain == null ? aws_cloudfront_distribution.api.domain_name : var.domain.name}"
}

output "api_id" {
  description = "Id of the regional REST API behind the edge (it answers only requests carrying the edge's API key)."
  value       = module.api.rest_api_id
}

output "stage_name" {
  description = "The API's stage, the distribution's origin path."
  value       = module.api.stage_name
}

output "table_name" {
  description = "The products table."
  value       = module.products.table_name
}

output "user_pool_id" {
  description = "The editors' user pool: invite editors here (AdminCreateUser); their ID tokens authorize PUT /products/{id}."
  value       = aws_cognito_user_pool.editors.id
}

output "user_pool_client_id" {
  description = "The app client editors sign in with."
  value       = aws_cognito_user_pool_client.editors.id
}

output "function_names" {
  description = "The operations' functions, by operation (list, put)."
  value       = { for k, f in module.function : k => f.function_name }
}

output "role_names" {
  description = "The operations' roles, by operation (list, put)."
  value       = { for k, f in module.function : k => f.role_name }
}
