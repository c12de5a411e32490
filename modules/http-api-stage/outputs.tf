output "stage_name" {
  description = "The stage's name ($default: served at the root of the API's endpoint)."
  value       = aws_apigatewayv2_stage.this.name
}

output "access_log_group_name" {
  description = "The access log: route, status, integration status and latency of every request."
  value       = aws_cloudwatch_log_group.access.name
}
