output "router_function_name" {
  description = "The function producers invoke asynchronously (InvocationType=Event) with a task."
  value       = module.router.function_name
}

output "router_role_name" {
  description = "The router's role: it may invoke the task functions and nothing else."
  value       = module.router.role_name
}

output "router_dlq_url" {
  description = "URL of the router's dead-letter queue: Lambda's record of each task it could not route, with the reason."
  value       = module.router_dlq.queue_url
}

output "tasks" {
  description = "Per task type: its function, role, table, dead-letter queue and that queue's alarm."
  value = { for type, task in module.task : type => {
    function_name  = task.function_name
    role_name      = task.role_name
    table_name     = module.task_table[type].table_name
    dlq_url        = module.task_dlq[type].queue_url
    dlq_alarm_name = module.task_dlq[type].alarm_name
  } }
}

output "dlq_alarm_names" {
  description = "Alarms on every dead-letter queue's depth (the router's and each task type's)."
  value       = concat([module.router_dlq.alarm_name], [for dlq in module.task_dlq : dlq.alarm_name])
}

output "producer_policy_json" {
  description = "IAM policy that lets a producer invoke the router (and nothing else); attach it to the producer's role."
  value       = data.aws_iam_policy_document.producer.json
}
