output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage: POST <invoke_url>/orders places an order."
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

output "traced_service" {
  description = "The stage's name in X-Ray (<api>/<stage>): filter traces with service(\"<this>\")."
  value       = local.traced_service
}

output "sampling_rule_name" {
  description = "The API's sampling rule."
  value       = aws_xray_sampling_rule.api.rule_name
}

output "trace_group_name" {
  description = "The X-Ray group of the API's faulty traces."
  value       = aws_xray_group.faults.group_name
}

output "trace_group_arn" {
  description = "ARN of the group of the API's faulty traces."
  value       = aws_xray_group.faults.arn
}

output "table_name" {
  description = "The orders table: each order with its status (PLACED, then FULFILLED)."
  value       = module.orders.table_name
}

output "topic_arn" {
  description = "The orders topic (active tracing): more consumers can subscribe."
  value       = aws_sns_topic.orders.arn
}

output "queue_url" {
  description = "The fulfilment queue."
  value       = module.fulfilment_queue.queue_url
}

output "dlq_url" {
  description = "Dead-letter queue of the fulfilment queue."
  value       = module.fulfilment_queue.dlq_url
}

output "function_names" {
  description = "The functions: checkout (behind the API) and fulfil (the queue's consumer)."
  value       = { checkout = module.checkout.function_name, fulfil = module.fulfil.function_name }
}

output "role_names" {
  description = "The functions' execution roles: checkout and fulfil."
  value       = { checkout = module.checkout.role_name, fulfil = module.fulfil.role_name }
}
