output "topic_arn" {
  description = "The service's notification topic: more subscribers subscribe here."
  value       = aws_sns_topic.notifications.arn
}

output "rule_name" {
  description = "The EventBridge rule selecting the source events."
  value       = aws_cloudwatch_event_rule.source.name
}

output "event_bus_name" {
  description = "The bus the rule listens on."
  value       = var.event_bus_name
}

output "trigger_function_name" {
  description = "The trigger function."
  value       = module.trigger.function_name
}

output "trigger_dlq_url" {
  description = "Source events the trigger failed on after its retries, or EventBridge could not deliver."
  value       = module.trigger_dlq.queue_url
}

output "trigger_dlq_alarm_name" {
  description = "Alarm on the trigger's dead-letter queue."
  value       = module.trigger_dlq.alarm_name
}

output "subscribers" {
  description = "Per subscribing service: its buffer queue, dead-letter queue and alarm."
  value = {
    for name, subscriber in module.subscriber : name => {
      queue_url      = subscriber.queue_url
      dlq_url        = subscriber.dlq_url
      dlq_alarm_name = subscriber.dlq_alarm_name
    }
  }
}
