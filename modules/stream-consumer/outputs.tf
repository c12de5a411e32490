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
  description = "The stream's event source mapping."
  value       = aws_lambda_event_source_mapping.this.uuid
}

output "dlq_url" {
  description = "URL of the on-failure queue: the batches the consumer gave up on, as AWS's DDBStreamBatchInfo/KinesisBatchInfo records."
  value       = module.failed.queue_url
}

output "dlq_arn" {
  description = "ARN of the on-failure queue."
  value       = module.failed.queue_arn
}

output "dlq_alarm_name" {
  description = "Alarm on the on-failure queue's depth."
  value       = module.failed.alarm_name
}
