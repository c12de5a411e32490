output "stream_name" {
  description = "The readings stream producers put readings on (one JSON object per record, ending with a newline)."
  value       = aws_kinesis_stream.readings.name
}

output "stream_arn" {
  description = "ARN of the readings stream."
  value       = aws_kinesis_stream.readings.arn
}

output "windows_table_name" {
  description = "The windows table: per sensor (key sensor) and window (key window: <start>#<shard>), count, sum, min and max."
  value       = module.windows.table_name
}

output "window_seconds" {
  description = "Length of each tumbling window."
  value       = var.window_seconds
}

output "aggregator_function_name" {
  description = "The window aggregator."
  value       = module.aggregator.function_name
}

output "aggregator_role_name" {
  description = "Role of the window aggregator."
  value       = module.aggregator.role_name
}

output "failed_queue_url" {
  description = "The on-failure queue: a record for each batch the aggregator gave up on (its shard and sequence numbers)."
  value       = module.aggregator.dlq_url
}

output "archive_bucket_name" {
  description = "Bucket of the archive: every record under readings/dt=yyyy-MM-dd/."
  value       = module.archive.bucket_name
}

output "records_prefix" {
  description = "Prefix of the archived records (GZIP objects of JSON lines, a dt=yyyy-MM-dd folder per day)."
  value       = local.records_prefix
}

output "delivery_stream_name" {
  description = "The Firehose delivery stream archiving the readings."
  value       = module.firehose.delivery_stream_name
}

output "firehose_role_name" {
  description = "Role Firehose reads the stream and writes the archive as."
  value       = module.firehose.role_name
}

output "database_name" {
  description = "Glue database of the archive's table."
  value       = aws_glue_catalog_database.analytics.name
}

output "table_name" {
  description = "Glue table over the archive (columns sensor, value; partition dt)."
  value       = aws_glue_catalog_table.readings.name
}

output "workgroup_name" {
  description = "Athena workgroup to query the archive in (results written encrypted to its bucket, scans limited)."
  value       = aws_athena_workgroup.analytics.name
}

output "results_bucket_name" {
  description = "Bucket Athena writes the workgroup's results to."
  value       = module.results.bucket_name
}

output "analyst_policy_json" {
  description = "IAM policy an analyst's role needs to query the archive in the workgroup (attach it to theirs)."
  value       = data.aws_iam_policy_document.analyst.json
}

output "archived_within_seconds" {
  description = "The longest a reading waits in Firehose's buffers (before the check, then before the archive) when traffic is light."
  value       = var.buffering.check_interval_seconds + var.buffering.interval_seconds
}

output "failed_prefix" {
  description = "Prefix of what Firehose kept out of the archive (GZIP objects of Firehose's error records, JSON lines)."
  value       = local.failed_prefix
}

output "archive_check_function_name" {
  description = "Firehose's transform keeping what is not a reading out of the archive."
  value       = module.archive_check.function_name
}

output "archive_check_role_name" {
  description = "Role of the archive check."
  value       = module.archive_check.role_name
}
