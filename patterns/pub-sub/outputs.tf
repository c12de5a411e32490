output "uploads_bucket" {
  description = "Upload here (under upload_prefix): every object created is processed by each processor."
  value       = module.uploads.bucket_name
}

output "outputs_bucket" {
  description = "Where the processors write: metadata/<key>.json, preview/<key>.txt, gzip/<key>.gz."
  value       = module.outputs.bucket_name
}

output "topic_arn" {
  description = "The upload notifications topic; more processors can subscribe."
  value       = aws_sns_topic.uploads.arn
}

output "processors" {
  description = "Per processor: its queue, dead-letter queue, alarm and function."
  value = {
    for name, _ in local.processors : name => {
      queue_url      = module.processor_queue[name].queue_url
      dlq_url        = module.processor_queue[name].dlq_url
      dlq_alarm_name = module.processor_queue[name].dlq_alarm_name
      function_name  = module.processor[name].function_name
      role_name      = module.processor[name].role_name
    }
  }
}
