output "rest_api_id" {
  description = "The REST API's id."
  value       = aws_api_gateway_rest_api.this.id
}

output "rest_api_name" {
  description = "The REST API's name (CloudWatch's ApiName dimension)."
  value       = aws_api_gateway_rest_api.this.name
}

output "rest_api_execution_arn" {
  description = "The API's execution ARN: the source of its invoke permissions, the resource of execute-api:Invoke policies."
  value       = aws_api_gateway_rest_api.this.execution_arn
}

output "resource_ids" {
  description = "Each path's resource id (\"/\" is the root), for the caller's methods."
  value = merge(
    { "/" = aws_api_gateway_rest_api.this.root_resource_id },
    { for path, resource in aws_api_gateway_resource.level1 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level2 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level3 : path => resource.id },
    { for path, resource in aws_api_gateway_resource.level4 : path => resource.id },
  )
}

output "request_validator_id" {
  description = "The request validator's id (null when request_validator is null)."
  value       = one(aws_api_gateway_request_validator.this[*].id)
}

output "stage_name" {
  description = "The stage serving the API."
  value       = module.stage.stage_name
}

output "invoke_url" {
  description = "The stage's URL."
  value       = module.stage.invoke_url
}

output "stage_execution_arn" {
  description = "The stage's execution ARN."
  value       = module.stage.execution_arn
}

output "access_log_group_name" {
  description = "The stage's access log."
  value       = module.stage.access_log_group_name
}
