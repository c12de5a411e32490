output "db_instance_arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "connection_address" {
  description = "Host name clients connect to (with TLS): the proxy's endpoint when there is one, else the instance's."
  value       = var.settings.proxy ? aws_db_proxy.this[0].endpoint : aws_db_instance.this.address
}

output "connection_port" {
  description = "Port clients connect to (a proxy listens on PostgreSQL's 5432)."
  value       = var.settings.proxy ? 5432 : aws_db_instance.this.port
}

output "tls_mode" {
  description = "How clients should check TLS: verify-full through the proxy (its certificate is ACM's, trusted by default), require directly (checking the instance needs the RDS CA bundle)."
  value       = var.settings.proxy ? "verify-full" : "require"
}

output "db_instance_address" {
  description = "Host name of the instance itself (administration, migrations)."
  value       = aws_db_instance.this.address
}

output "database_name" {
  description = "Name of the database."
  value       = aws_db_instance.this.db_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master user's name and password in (JSON: username, password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}

output "user_secret_arns" {
  description = "Secrets Manager secret of each database user (JSON: username, password), available once the migration created the users: give each function the secret of its own user."
  value       = local.user_secret_arns
  depends_on  = [aws_lambda_invocation.migrate, aws_db_proxy.this, aws_db_proxy_target.this]
}

output "migration_function_name" {
  description = "Name of the migration function (null without migration)."
  value       = var.migration == null ? null : module.migration[0].function_name
}
