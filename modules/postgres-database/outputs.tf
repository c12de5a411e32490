output "arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "address" {
  description = "Host name clients connect to (with TLS)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port clients connect to."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Name of the database."
  value       = aws_db_instance.this.db_name
}

output "secret_arn" {
  description = "Secrets Manager secret RDS keeps the master user's name and password in (JSON: username, password)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}
