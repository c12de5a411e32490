output "splitter_function_name" {
  description = "Invoke it with {\"jobId\", \"keys\": [document keys]} to start a job."
  value       = module.splitter.function_name
}

output "status_function_name" {
  description = "Invoke it with {\"jobId\"}: status, done and failed parts, the result once complete."
  value       = module.status.function_name
}

output "worker_function_name" {
  description = "The worker invoked asynchronously per part."
  value       = module.worker.function_name
}

output "worker_role_name" {
  description = "The worker's role: read documents, record parts."
  value       = module.worker.role_name
}

output "splitter_role_name" {
  description = "The splitter's role: record jobs, invoke the worker."
  value       = module.splitter.role_name
}

output "documents_bucket_name" {
  description = "Where a job's documents are read from."
  value       = module.documents.bucket_name
}

output "jobs_table_name" {
  description = "The jobs table: (jobId, JOB) and (jobId, PART#nnnn) items."
  value       = module.jobs.table_name
}

output "dlq_url" {
  description = "URL of the dead-letter queue: Lambda's record of each part the worker kept failing on."
  value       = module.dlq.queue_url
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.dlq.alarm_name
}

output "client_policy_json" {
  description = "IAM policy that lets a client put documents, submit jobs and ask their state; attach it to the client's role."
  value       = data.aws_iam_policy_document.client.json
}
