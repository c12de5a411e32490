output "api_id" {
  description = "The HTTP API's id."
  value       = aws_apigatewayv2_api.this.id
}

output "api_endpoint" {
  description = "The API's default endpoint (https://<id>.execute-api.<region>.amazonaws.com); the $default stage serves at its root."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "api_execution_arn" {
  description = "The API's execution ARN, for IAM policies allowing execute-api:Invoke on its routes."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_name" {
  description = "The stage's name ($default: served at the root of the API's endpoint)."
  value       = aws_apigatewayv2_stage.this.name
}

output "access_log_group_name" {
  description = "The access log: route, status, integration status and latency of every request."
  value       = aws_cloudwatch_log_group.access.name
}
