output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function."
  value       = aws_lambda_function.this.invoke_arn
}

output "role_name" {
  description = "Name of the function's execution role."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "Name of the function's CloudWatch Logs group."
  value       = aws_cloudwatch_log_group.this.name
}

output "alarm_names" {
  description = "Names of the function's alarms (empty when alarms are off)."
  value       = concat(aws_cloudwatch_metric_alarm.errors[*].alarm_name, aws_cloudwatch_metric_alarm.throttles[*].alarm_name)
}
