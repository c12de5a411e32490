output "function_name" {
  description = "Name of the consumer function."
  value       = module.function.function_name
}

output "function_arn" {
  description = "ARN of the consumer function."
  value       = module.function.function_arn
}

output "role_name" {
  description = "Name of the consumer's role."
  value       = module.function.role_name
}

output "log_group_name" {
  description = "The consumer's log group."
  value       = module.function.log_group_name
}

output "event_source_mapping_uuid" {
  description = "The queue's event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}
