output "key_arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}

output "alias_name" {
  description = "Alias of the key."
  value       = aws_kms_alias.this.name
}

output "key_id" {
  description = "Id of the key."
  value       = aws_kms_key.this.key_id
}
