output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage, for example https://abc.execute-api.eu-west-1.amazonaws.com/v1."
  value       = module.api.invoke_url
}

output "execution_arn" {
  description = "Execution ARN of the REST API, for IAM policies of callers."
  value       = module.api.rest_api_execution_arn
}

output "stage_name" {
  description = "Name of the stage."
  value       = module.api.stage_name
}

output "table_name" {
  description = "Name of the items table."
  value       = module.items.table_name
}

output "table_arn" {
  description = "ARN of the items table."
  value       = module.items.table_arn
}

output "function_names" {
  description = "Function name per operation (create, list, get, delete)."
  value       = { for k, m in module.function : k => m.function_name }
}

output "role_names" {
  description = "Execution role name per operation."
  value       = { for k, m in module.function : k => m.role_name }
}

output "alarm_names" {
  description = "Names of every alarm of the service (empty when alarms are off)."
  value       = concat(flatten([for m in module.function : m.alarm_names]), aws_cloudwatch_metric_alarm.api_5xx[*].alarm_name)
}
