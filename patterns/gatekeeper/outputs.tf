output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage: GET and POST tenants/{tenant}/documents, GET tenants/{tenant}/documents/{id}."
  value       = module.api.invoke_url
}

output "stage_name" {
  description = "Name of the stage."
  value       = module.api.stage_name
}

output "key_admin_function_name" {
  description = "Function that issues ({\"action\": \"issue\", \"principal\", \"tenant\", \"scopes\", \"ttlDays\"}) and revokes ({\"action\": \"revoke\", \"keyId\"}) API keys; null with identity cognito."
  value       = local.api_keys ? module.key_admin[0].function_name : null
}

output "key_admin_function_arn" {
  description = "ARN of the key administration function, for the policies of those who may issue keys; null with identity cognito."
  value       = local.api_keys ? module.key_admin[0].function_arn : null
}

output "authorizer_function_name" {
  description = "The Lambda authorizer; null with identity cognito."
  value       = local.api_keys ? module.authorizer[0].function_name : null
}

output "keys_table_name" {
  description = "The authorization service's key table (key hashes and grants); null with identity cognito."
  value       = local.api_keys ? module.keys[0].table_name : null
}

output "documents_table_name" {
  description = "Table of each tenant's documents."
  value       = module.documents.table_name
}

output "service_function_name" {
  description = "The guarded documents service."
  value       = module.service.function_name
}

output "service_role_name" {
  description = "Role of the documents service."
  value       = module.service.role_name
}

output "authorizer_role_name" {
  description = "Role of the Lambda authorizer; null with identity cognito."
  value       = local.api_keys ? module.authorizer[0].role_name : null
}

output "user_pool_id" {
  description = "The Cognito user pool (identity cognito), else null."
  value       = local.api_keys ? null : aws_cognito_user_pool.users[0].id
}

output "user_pool_client_id" {
  description = "The Cognito app client (identity cognito), else null."
  value       = local.api_keys ? null : aws_cognito_user_pool_client.app[0].id
}
