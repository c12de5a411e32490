output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage: POST requests, GET requests/{transactionId}."
  value       = module.api.invoke_url
}

output "stage_name" {
  description = "Name of the stage."
  value       = module.api.stage_name
}

output "queue_url" {
  description = "URL of the request queue."
  value       = module.requests.queue_url
}

output "dlq_url" {
  description = "URL of the dead-letter queue of requests that could not be processed."
  value       = module.requests.dlq_url
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.requests.dlq_alarm_name
}

output "results_table_name" {
  description = "Table of processed requests' results."
  value       = module.results.table_name
}

output "consumer_function_name" {
  description = "The consumer function."
  value       = module.consumer.function_name
}
