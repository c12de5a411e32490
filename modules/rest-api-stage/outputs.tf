output "stage_name" {
  description = "Name of the stage."
  value       = aws_api_gateway_stage.this.stage_name
}

output "invoke_url" {
  description = "Base URL of the stage."
  value       = aws_api_gateway_stage.this.invoke_url
}

output "execution_arn" {
  description = "Execution ARN of the stage, for Lambda permissions (<execution_arn>/<METHOD>/<path>)."
  value       = aws_api_gateway_stage.this.execution_arn
}

output "access_log_group_name" {
  description = "The stage's access log group."
  value       = aws_cloudwatch_log_group.access.name
}
