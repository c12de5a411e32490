output "state_machine_arn" {
  description = "The order workflow: start it with the order as input."
  value       = module.workflow.state_machine_arn
}

output "state_machine_type" {
  description = "STANDARD or EXPRESS."
  value       = var.type
}

output "log_group_name" {
  description = "Log group of the execution logs."
  value       = module.workflow.log_group_name
}

output "workflow_role_name" {
  description = "Role the workflow runs as."
  value       = module.workflow.role_name
}

output "orders_table_name" {
  description = "Orders: ORDER#<id>/ORDER holds the status (RECEIVED, CONFIRMED, HELD or FAILED with failure and reason), ORDER#<id>/PICK#<sku> the pick list."
  value       = module.orders.table_name
}

output "inventory_table_name" {
  description = "Stock per sku (stock, and lockedUntil while another process holds the record)."
  value       = module.inventory.table_name
}

output "task_function_names" {
  description = "The task functions, by task."
  value       = { for task, _ in local.tasks : task => module.task[task].function_name }
}

output "task_role_names" {
  description = "The task functions' roles, by task."
  value       = { for task, _ in local.tasks : task => module.task[task].role_name }
}
