output "queue_url" {
  description = "URL of the FIFO event queue: send with MessageGroupId = the account."
  value       = module.events.queue_url
}

output "queue_arn" {
  description = "ARN of the FIFO event queue."
  value       = module.events.queue_arn
}

output "dlq_url" {
  description = "URL of the FIFO dead-letter queue of events that could not be applied."
  value       = module.events.dlq_url
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.events.dlq_alarm_name
}

output "ledger_table_name" {
  description = "The ledger table: ACCOUNT, ENTRY#<position> and DEDUP#<id> items per account."
  value       = module.ledger.table_name
}

output "consumer_function_name" {
  description = "The consumer function."
  value       = module.consumer.function_name
}

output "consumer_role_name" {
  description = "The consumer's role."
  value       = module.consumer.role_name
}

output "producer_policy_json" {
  description = "IAM policy that lets a producer send events (and use the queue's key); attach it to the producer's role."
  value       = data.aws_iam_policy_document.producer.json
}
