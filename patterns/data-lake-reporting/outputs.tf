output "ingest_bucket_name" {
  description = "Bucket sales files are put in, under ingest_prefix and a dt=YYYY-MM-DD/ folder."
  value       = module.ingest.bucket_name
}

output "ingest_prefix" {
  description = "Where sales files land in the ingestion bucket."
  value       = var.ingest_prefix
}

output "reports_bucket_name" {
  description = "Bucket of the reports (reports/dt=YYYY-MM-DD/sales-by-region.csv), failed queries (failures/dt=.../<query id>.json) and Athena's results (athena/)."
  value       = module.reports.bucket_name
}

output "report_prefix" {
  description = "Prefix of the day reports in the reporting bucket."
  value       = local.report_prefix
}

output "failure_prefix" {
  description = "Prefix of the records of failed queries in the reporting bucket."
  value       = local.failure_prefix
}

output "queue_url" {
  description = "The queue S3 notifies of ingested files (and the schedule asks for days)."
  value       = module.ingested.queue_url
}

output "dlq_url" {
  description = "Dead-letter queue: notifications and scheduled requests whose days could not be reported after max_receive_count tries (and requests Scheduler could not deliver)."
  value       = module.ingested.dlq_url
}

output "reporter_function_name" {
  description = "The reporter function."
  value       = module.reporter.function_name
}

output "reporter_role_name" {
  description = "Role of the reporter (Athena reads and writes with its permissions)."
  value       = module.reporter.role_name
}

output "database_name" {
  description = "Glue database of the sales table."
  value       = aws_glue_catalog_database.lake.name
}

output "table_name" {
  description = "Glue table over the ingested files (columns region, product, amount; partition dt)."
  value       = aws_glue_catalog_table.sales.name
}

output "workgroup_name" {
  description = "Athena workgroup the reports run in."
  value       = aws_athena_workgroup.reporting.name
}

output "uploader_policy_json" {
  description = "IAM policy an uploader's role needs to put sales files, and nothing more (attach it to theirs)."
  value       = data.aws_iam_policy_document.uploader.json
}

output "report_schedule_arn" {
  description = "The scheduled report's EventBridge Scheduler schedule; null without report_triggers.schedule."
  value       = one(aws_scheduler_schedule.report[*].arn)
}

output "scheduler_role_name" {
  description = "Role Scheduler sends the scheduled report's requests as; null without report_triggers.schedule."
  value       = one(aws_iam_role.scheduler[*].name)
}
