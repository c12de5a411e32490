output "caller_function_name" {
  description = "The function services invoke (RequestResponse) to hand an order off."
  value       = module.caller.function_name
}

output "caller_function_arn" {
  description = "ARN of the caller function."
  value       = module.caller.function_arn
}

output "worker_function_name" {
  description = "The worker Lambda invokes asynchronously."
  value       = module.worker.function_name
}

output "caller_role_name" {
  description = "The caller's role: it may invoke the worker and nothing else."
  value       = module.caller.role_name
}

output "worker_role_name" {
  description = "The worker's role: its tables and its destinations only."
  value       = module.worker.role_name
}

output "dlq_url" {
  description = "URL of the dead-letter queue: Lambda's record of each event the worker still failed on after its retries (the worker's on-failure destination)."
  value       = module.dlq.queue_url
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.dlq.queue_arn
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.dlq.alarm_name
}

output "ledger_table_name" {
  description = "The ledger: one item per customer (balance, orders, lastOrderId)."
  value       = module.ledger.table_name
}

output "idempotency_table_name" {
  description = "Powertools idempotency records of the worker, per order id."
  value       = module.idempotency.table_name
}

output "invoker_policy_json" {
  description = "IAM policy that lets a service invoke the caller (and nothing else); attach it to that service's role."
  value       = data.aws_iam_policy_document.invoker.json
}
