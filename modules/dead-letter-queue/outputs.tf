output "queue_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.this.url
}

output "queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.this.arn
}

output "queue_name" {
  description = "Name of the dead-letter queue."
  value       = aws_sqs_queue.this.name
}

output "alarm_name" {
  description = "Alarm on the queue's depth."
  value       = aws_cloudwatch_metric_alarm.not_empty.alarm_name
}
