output "api_id" {
  description = "Id of the HTTP API (PUT and GET customers/{id})."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "Base URL of the API."
  value       = module.api.api_endpoint
}

output "customers_table_name" {
  description = "The table the API writes (the source of truth)."
  value       = module.customers.table_name
}

output "customers_stream_arn" {
  description = "The table's stream the replicator reads."
  value       = module.customers.table_stream_arn
}

output "database" {
  description = "The relational copy: address, port, database name, the master user's secret (administration only), the functions' users' secrets and the migration function (reports connect with TLS)."
  value = {
    address    = module.replica.connection_address
    port       = module.replica.connection_port
    name       = module.replica.database_name
    secret_arn = module.replica.master_user_secret_arn
    # The functions' own users (JSON: username, password), created by the migration.
    user_secret_arns = module.replica.user_secret_arns
    migration        = module.replica.migration_function_name
  }
}

output "replicator_function_name" {
  description = "The stream consumer copying changes."
  value       = module.replicator.function_name
}

output "replicator_role_name" {
  description = "Role of the replicator."
  value       = module.replicator.role_name
}

output "dlq_url" {
  description = "On-failure queue of the stream batches the replicator gave up on (AWS's DDBStreamBatchInfo records)."
  value       = module.replicator.dlq_url
}

output "dlq_alarm_name" {
  description = "Alarm on the on-failure queue's depth."
  value       = module.replicator.dlq_alarm_name
}
