output "queue_url" {
  description = "URL of the queue."
  value       = aws_sqs_queue.this.url
}

output "queue_arn" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_name" {
  description = "Name of the queue."
  value       = aws_sqs_queue.this.name
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = module.dlq.queue_url
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.dlq.queue_arn
}

output "dlq_alarm_name" {
  description = "Name of the alarm on the dead-letter queue's depth."
  value       = module.dlq.alarm_name
}
