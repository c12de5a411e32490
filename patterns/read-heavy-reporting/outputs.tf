output "api_id" {
  description = "Id of the HTTP API (GET and PUT articles/{id}, GET reports/most-viewed)."
  value       = module.api.api_id
}

output "api_endpoint" {
  description = "Base URL of the API."
  value       = module.api.api_endpoint
}

output "cache" {
  description = "The cache's endpoint (TLS only) and ARN."
  value = {
    address = aws_elasticache_serverless_cache.this.endpoint[0].address
    port    = aws_elasticache_serverless_cache.this.endpoint[0].port
    arn     = aws_elasticache_serverless_cache.this.arn
  }
}

output "database" {
  description = "The articles' database: address, port, database name, the master user's secret (administration only), the functions' users' secrets and the migration function (clients connect with TLS)."
  value = {
    address    = module.database.connection_address
    port       = module.database.connection_port
    name       = module.database.database_name
    secret_arn = module.database.master_user_secret_arn
    # The functions' own users (JSON: username, password), created by the migration.
    user_secret_arns = module.database.user_secret_arns
    migration        = module.database.migration_function_name
  }
}

output "views_table_name" {
  description = "View counters per article (their stream feeds the ranker)."
  value       = module.views.table_name
}

output "index_table_name" {
  description = "The most-viewed board (one item per board)."
  value       = module.index.table_name
}

output "function_names" {
  description = "The reader, writer and ranker functions."
  value = {
    reader = module.reader.function_name
    writer = module.writer.function_name
    ranker = module.ranker.function_name
  }
}

output "role_names" {
  description = "Roles of the reader, writer and ranker."
  value = {
    reader = module.reader.role_name
    writer = module.writer.role_name
    ranker = module.ranker.role_name
  }
}

output "dlq_url" {
  description = "On-failure queue of the stream batches the ranker gave up on (AWS's DDBStreamBatchInfo records)."
  value       = module.ranker.dlq_url
}

output "dlq_alarm_name" {
  description = "Alarm on the on-failure queue's depth."
  value       = module.ranker.dlq_alarm_name
}
