output "function_name" {
  description = "The guard: invoke it with {\"method\": \"GET\", \"path\": \"/...\"}."
  value       = module.guard.function_name
}

output "function_arn" {
  description = "ARN of the guard, for the policies of its callers (lambda:InvokeFunction)."
  value       = module.guard.function_arn
}

output "guard_role_name" {
  description = "Role of the guard."
  value       = module.guard.role_name
}

output "recorder_function_name" {
  description = "The recorder (the rule's target)."
  value       = module.recorder.function_name
}

output "recorder_role_name" {
  description = "Role of the recorder."
  value       = module.recorder.role_name
}

output "event_bus_name" {
  description = "The bus failures are published on (detail-type ServiceCallFailed)."
  value       = aws_cloudwatch_event_bus.failures.name
}

output "failures_table_name" {
  description = "Recent failures per service (expiring after the window)."
  value       = module.failures.table_name
}

output "service_name" {
  description = "The key the failures of this guard's service are recorded under."
  value       = var.name
}

output "dlq_url" {
  description = "Failure events never recorded (after the recorder's retries, or undeliverable by the rule)."
  value       = module.recorder_dlq.queue_url
}

output "dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.recorder_dlq.alarm_name
}
