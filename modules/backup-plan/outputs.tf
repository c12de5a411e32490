output "vault_arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "plan_id" {
  description = "ID of the backup plan."
  value       = aws_backup_plan.this.id
}

output "role_arn" {
  description = "ARN of the role AWS Backup uses."
  value       = aws_iam_role.this.arn
}

output "selection_id" {
  description = "ID of the selection of resources the plan backs up."
  value       = aws_backup_selection.this.id
}
