output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage: POST messages."
  value       = module.api.invoke_url
}

output "stage_name" {
  description = "Name of the stage."
  value       = module.api.stage_name
}

output "messages_table_name" {
  description = "Table the API writes messages to."
  value       = module.messages.table_name
}

output "messages_stream_arn" {
  description = "Stream of the messages table."
  value       = module.messages.table_stream_arn
}

output "changes_table_name" {
  description = "The change log the stream consumer keeps (id, sequence)."
  value       = module.changes.table_name
}

output "consumer_function_name" {
  description = "The stream consumer."
  value       = module.consumer.function_name
}

output "dlq_url" {
  description = "On-failure queue of the stream batches the consumer gave up on (AWS's DDBStreamBatchInfo records)."
  value       = module.consumer.dlq_url
}

output "dlq_alarm_name" {
  description = "Alarm on the on-failure queue's depth."
  value       = module.consumer.dlq_alarm_name
}

output "consumer_role_name" {
  description = "Role of the stream consumer."
  value       = module.consumer.role_name
}

output "api_role_name" {
  description = "Role API Gateway writes to the table as."
  value       = module.api_role.role_name
}
