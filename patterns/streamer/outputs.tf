output "api_id" {
  description = "Id of the REST API."
  value       = module.api.rest_api_id
}

output "invoke_url" {
  description = "Base URL of the stage: POST readings."
  value       = module.api.invoke_url
}

output "stage_name" {
  description = "Name of the stage."
  value       = module.api.stage_name
}

output "stream_name" {
  description = "The readings stream (other producers may put readings on it directly)."
  value       = aws_kinesis_stream.readings.name
}

output "stream_arn" {
  description = "ARN of the readings stream."
  value       = aws_kinesis_stream.readings.arn
}

output "delivery_stream_name" {
  description = "The Firehose delivery stream archiving the readings."
  value       = module.firehose.delivery_stream_name
}

output "archive_bucket_name" {
  description = "Bucket of the archive: clean readings under records_prefix, refused records under failed_prefix."
  value       = module.archive.bucket_name
}

output "records_prefix" {
  description = "Prefix of the clean readings (GZIP objects of JSON lines, a folder per day)."
  value       = var.records_prefix
}

output "failed_prefix" {
  description = "Prefix of the refused records (GZIP objects of Firehose's error records, JSON lines)."
  value       = var.failed_prefix
}

output "transform_function_name" {
  description = "The transform function."
  value       = module.transform.function_name
}

output "transform_role_name" {
  description = "Role of the transform function."
  value       = module.transform.role_name
}

output "firehose_role_name" {
  description = "Role Firehose reads the stream, invokes the transform and writes the archive as."
  value       = module.firehose.role_name
}

output "api_role_name" {
  description = "Role API Gateway puts readings on the stream as."
  value       = module.api_role.role_name
}

output "firehose_log_group_name" {
  description = "Log group of Firehose's delivery errors (stream DestinationDelivery)."
  value       = module.firehose.log_group_name
}

output "buffered_seconds" {
  description = "The longest a reading waits in Firehose's buffers (before the transform, then before the archive) when traffic is light."
  value       = var.transform.buffer_interval_seconds + var.buffering.interval_seconds
}
