output "function_name" {
  description = "The service function callers invoke (RequestResponse)."
  value       = module.service.function_name
}

output "function_arn" {
  description = "ARN of the service function."
  value       = module.service.function_arn
}

output "role_name" {
  description = "The service's role: its table only."
  value       = module.service.role_name
}

output "table_name" {
  description = "The service's own table: SKU#<sku> (available) and RES#<reservation id> items."
  value       = module.inventory.table_name
}

output "invoker_policy_json" {
  description = "IAM policy that lets a calling function invoke the service (and nothing else); attach it to the caller's role."
  value       = data.aws_iam_policy_document.invoker.json
}
