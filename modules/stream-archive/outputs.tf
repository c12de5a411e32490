output "delivery_stream_name" {
  description = "Name of the Firehose delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.archive.name
}

output "delivery_stream_arn" {
  description = "ARN of the Firehose delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.archive.arn
}

output "role_name" {
  description = "Role Firehose reads the stream, invokes the transform and writes the archive as."
  value       = aws_iam_role.firehose.name
}

output "role_arn" {
  description = "ARN of Firehose's role."
  value       = aws_iam_role.firehose.arn
}

output "log_group_name" {
  description = "Log group of Firehose's delivery errors (stream DestinationDelivery)."
  value       = aws_cloudwatch_log_group.firehose.name
}

output "records_prefix" {
  description = "Prefix of the archived records (GZIP objects, a time folder each)."
  value       = var.records_prefix
}

output "failed_prefix" {
  description = "Prefix of the refused records (GZIP objects of Firehose's error records, JSON lines)."
  value       = var.failed_prefix
}
