output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage: POST events."
  value       = module.api.invoke_url
}

output "stage_name" {
  description = "Name of the stage."
  value       = module.api.stage_name
}

output "topic_arn" {
  description = "The events topic. Its AWS/SNS metric NumberOfNotificationsFilteredOut counts, per subscription, the events its filter turned away."
  value       = aws_sns_topic.events.arn
}

output "topic_name" {
  description = "Name of the events topic (the TopicName dimension of its metrics)."
  value       = aws_sns_topic.events.name
}

output "subscribers" {
  description = "Per subscriber: its queue, dead-letter queue, alarm and consumer."
  value = {
    for name, subscriber in var.subscribers : name => {
      event_types      = subscriber.event_types
      queue_url        = module.subscriber_queue[name].queue_url
      dlq_url          = module.subscriber_queue[name].dlq_url
      dlq_alarm_name   = module.subscriber_queue[name].dlq_alarm_name
      function_name    = module.consumer[name].function_name
      role_name        = module.consumer[name].role_name
      subscription_arn = module.subscriber_queue[name].subscription_arn
    }
  }
}

output "deliveries_table_name" {
  description = "What each subscriber received: one item per (eventId, subscriber)."
  value       = module.deliveries.table_name
}
