output "role_arn" {
  description = "ARN of the role API Gateway writes execution logs with."
  value       = aws_iam_role.this.arn
}
