output "topic_arn" {
  description = "The notifier topic."
  value       = aws_sns_topic.this.arn
}

output "topic_name" {
  description = "Name of the topic (the TopicName dimension of its metrics)."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "The topic's key; publishers need kms:GenerateDataKey and kms:Decrypt on it."
  value       = module.topic_key.key_arn
}

output "publisher_policy_json" {
  description = "IAM policy a publisher's role needs: sns:Publish on the topic and its key."
  value       = data.aws_iam_policy_document.publisher.json
}

output "delivery_failures_alarm_name" {
  description = "Alarm on NumberOfNotificationsFailed."
  value       = aws_cloudwatch_metric_alarm.delivery_failures.alarm_name
}

output "queue_subscribers" {
  description = "Per subscribed queue of this account: queue and DLQ URLs, DLQ alarm, subscription."
  value = {
    for name, subscriber in module.queue_subscriber : name => {
      queue_url        = subscriber.queue_url
      dlq_url          = subscriber.dlq_url
      dlq_alarm_name   = subscriber.dlq_alarm_name
      subscription_arn = subscriber.subscription_arn
    }
  }
}
