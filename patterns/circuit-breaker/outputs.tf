output "function_name" {
  description = "The guard: invoke it with {\"method\": \"GET\", \"path\": \"/...\"}."
  value       = module.guard.function_name
}

output "function_arn" {
  description = "ARN of the guard, for the policies of its callers (lambda:InvokeFunction)."
  value       = module.guard.function_arn
}

output "role_name" {
  description = "Role of the guard."
  value       = module.guard.role_name
}

output "circuits_table_name" {
  description = "The breaker's state (state, failures, openUntil, openings) under the circuit's name."
  value       = module.circuits.table_name
}

output "circuit_name" {
  description = "The key of this breaker's state."
  value       = var.name
}
