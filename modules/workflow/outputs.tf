output "state_machine_arn" {
  description = "ARN of the state machine."
  value       = aws_sfn_state_machine.this.arn
}

output "state_machine_name" {
  description = "Name of the state machine."
  value       = aws_sfn_state_machine.this.name
}

output "role_name" {
  description = "Name of the workflow's role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the workflow's role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Log group of the execution logs."
  value       = aws_cloudwatch_log_group.this.name
}
