output "api_id" {
  description = "The API's id."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "The API's URL."
  value       = module.api.api_endpoint
}

output "routes" {
  description = "The API's routes and the kind of backend each reaches."
  value = {
    "GET /orders/{id}"       = "lambda"
    "POST /orders"           = "lambda"
    "ANY /partners/{proxy+}" = "http"
    "POST /events"           = "sqs"
  }
}

output "function_name" {
  description = "The orders backend."
  value       = module.orders_function.function_name
}

output "role_name" {
  description = "The orders backend's role: its table only."
  value       = module.orders_function.role_name
}

output "api_role_name" {
  description = "The role API Gateway sends events to the queue as."
  value       = module.api_role.role_name
}

output "events_queue_url" {
  description = "The queue POST /events sends to (for its consumers)."
  value       = module.events.queue_url
}

output "events_dlq_url" {
  description = "The events queue's dead-letter queue."
  value       = module.events.dlq_url
}

output "orders_table_name" {
  description = "The orders table."
  value       = module.orders.table_name
}
