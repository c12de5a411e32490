output "table_name" {
  description = "Table name."
  value       = aws_dynamodb_table.this.name
}

output "table_arn" {
  description = "Table ARN."
  value       = aws_dynamodb_table.this.arn
}

output "table_stream_arn" {
  description = "ARN of the table's stream (null without stream_view_type)."
  value       = var.stream_view_type == null ? null : aws_dynamodb_table.this.stream_arn
}
