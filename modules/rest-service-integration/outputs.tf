output "http_method" {
  description = "The method."
  value       = aws_api_gateway_method.this.http_method
}

output "deployment_hash" {
  description = "Changes whenever anything a deployment snapshots changes (method, model, integration, templates, responses): feed it to the stage's redeployment trigger."
  # What is configured, plus the ids (a replaced resource is a change too); not whole resource
  # objects, whose computed attributes read back differently after a create.
  value = sha1(jsonencode({
    configured = [
      var.http_method, var.authorization_type, var.request_validator_id, var.request_model, var.request_parameters,
      var.credentials, var.uri, var.integration_http_method, var.passthrough_behavior,
      var.integration_request_parameters, var.request_templates, var.responses,
    ]
    ids = [
      aws_api_gateway_method.this.id, aws_api_gateway_integration.this.id, aws_api_gateway_model.this[*].id,
      [for r in aws_api_gateway_method_response.this : r.id], [for r in aws_api_gateway_integration_response.this : r.id],
    ]
  }))
}
