output "queue_url" {
  description = "URL of the subscribed queue."
  value       = module.queue.queue_url
}

output "queue_arn" {
  description = "ARN of the subscribed queue."
  value       = module.queue.queue_arn
}

output "queue_name" {
  description = "Name of the subscribed queue."
  value       = module.queue.queue_name
}

output "dlq_url" {
  description = "URL of the dead-letter queue (consumer give-ups and undeliverable notifications)."
  value       = module.queue.dlq_url
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = module.queue.dlq_arn
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.queue.dlq_alarm_name
}

output "subscription_arn" {
  description = "ARN of the subscription."
  value       = aws_sns_topic_subscription.this.arn
}
