output "input_bucket_name" {
  description = "Upload a text under input_prefix to start a job."
  value       = module.input.bucket_name
}

output "input_prefix" {
  description = "Uploads under this prefix start a job."
  value       = var.input_prefix
}

output "work_bucket_name" {
  description = "jobs/<job>/manifest.json, jobs/<job>/map/nnnnn.json (each range's counts) and jobs/<job>/result.json."
  value       = module.work.bucket_name
}

output "coordinator_function_name" {
  description = "The coordinator S3 invokes per upload."
  value       = module.coordinator.function_name
}

output "mapper_function_name" {
  description = "The mapper, one invocation per byte range."
  value       = module.mapper.function_name
}

output "reducer_function_name" {
  description = "The reducer, started by the mapper that finds every range counted."
  value       = module.reducer.function_name
}

output "mapper_role_name" {
  description = "The mappers' role: read the input prefix, write counts, start the reducer."
  value       = module.mapper.role_name
}

output "dlq_url" {
  description = "URL of the dead-letter queue: Lambda's record of each coordinator, mapper or reducer event given up on."
  value       = module.dlq.queue_url
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.dlq.alarm_name
}
