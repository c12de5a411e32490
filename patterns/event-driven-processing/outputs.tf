output "input_bucket_name" {
  description = "The bucket uploads go to (under input_prefix)."
  value       = module.input.bucket_name
}

output "output_bucket_name" {
  description = "The bucket of reports (report_prefix) and failure records (failed_prefix)."
  value       = module.output.bucket_name
}

output "input_prefix" {
  description = "Uploads under this prefix are processed."
  value       = var.input_prefix
}

output "report_prefix" {
  description = "Where reports are written in the output bucket."
  value       = var.report_prefix
}

output "failed_prefix" {
  description = "Where unreadable uploads are recorded in the output bucket, with the reason."
  value       = var.failed_prefix
}

output "function_name" {
  description = "The processor function."
  value       = module.processor.function_name
}

output "role_name" {
  description = "The processor's role: read the input prefix, write the output prefixes, nothing else."
  value       = module.processor.role_name
}

output "dlq_url" {
  description = "URL of the dead-letter queue: Lambda's record of each upload event the processor kept failing on."
  value       = module.dlq.queue_url
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.dlq.alarm_name
}

output "uploader_policy_json" {
  description = "IAM policy that lets an uploader put objects under the input prefix (and use the bucket key); attach it to the uploader's role."
  value       = data.aws_iam_policy_document.uploader.json
}
