output "state_machine_arn" {
  description = "The booking saga: start it with {bookingId, hotel, flight, amount, card}."
  value       = module.workflow.state_machine_arn
}

output "log_group_name" {
  description = "Log group of the execution logs."
  value       = module.workflow.log_group_name
}

output "workflow_role_name" {
  description = "Role the saga runs as."
  value       = module.workflow.role_name
}

output "table_names" {
  description = "Each service's bookings table (hotel, flight, payment), keyed by bookingId."
  value       = { for service, _ in local.services : service => module.bookings[service].table_name }
}

output "function_names" {
  description = "Each service's function (hotel, flight, payment): {action, bookingId, ...}."
  value       = { for service, _ in local.services : service => module.service[service].function_name }
}

output "role_names" {
  description = "Each service's role."
  value       = { for service, _ in local.services : service => module.service[service].role_name }
}
