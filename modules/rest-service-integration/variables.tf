variable "rest_api_id" {
  description = "Id of the REST API."
  type        = string
}

variable "resource_id" {
  description = "Id of the API resource (path) the method is on."
  type        = string
}

variable "http_method" {
  description = "HTTP method: GET, POST, PUT, PATCH or DELETE."
  type        = string

  validation {
    condition     = contains(["GET", "POST", "PUT", "PATCH", "DELETE"], var.http_method)
    error_message = "http_method must be GET, POST, PUT, PATCH or DELETE."
  }
}

variable "authorization_type" {
  description = "Authorization of the method: AWS_IAM (SigV4-signed callers only) or NONE (a public API)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "request_validator_id" {
  description = "Request validator of the API (body and/or parameters); null validates nothing."
  type        = string
  default     = null
}

variable "request_model" {
  description = "JSON schema (draft-04) the request body must match, as an object, with the model's name (unique in the API); null for no body."
  type = object({
    name   = string
    schema = any
  })
  default = null

  validation {
    condition     = var.request_model == null || can(regex("^[A-Za-z0-9]{1,64}$", var.request_model.name))
    error_message = "request_model.name must be 1-64 letters or digits."
  }
}

variable "request_parameters" {
  description = "Method request parameters and whether each is required, for example { \"method.request.path.id\" = true }."
  type        = map(bool)
  default     = {}
  nullable    = false
}

variable "credentials" {
  description = "ARN of the role API Gateway assumes to call the service (modules/api-gateway-service-role)."
  type        = string
}

variable "uri" {
  description = "The service action, for example arn:<partition>:apigateway:<region>:sqs:path/<account>/<queue>."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-z0-9-]+:(path|action)/", var.uri))
    error_message = "uri must be an API Gateway service integration ARN (arn:<partition>:apigateway:<region>:<service>:path/... or :action/...)."
  }
}

variable "integration_http_method" {
  description = "HTTP method of the call to the service (POST for every AWS query and JSON API)."
  type        = string
  default     = "POST"
}

variable "passthrough_behavior" {
  description = "What the gateway does with a request whose content type has no template: NEVER refuses it (415); WHEN_NO_MATCH passes it through; null leaves API Gateway's default (WHEN_NO_MATCH)."
  type        = string
  default     = "NEVER"

  validation {
    condition     = var.passthrough_behavior == null || contains(["NEVER", "WHEN_NO_MATCH", "WHEN_NO_TEMPLATES"], coalesce(var.passthrough_behavior, "NEVER"))
    error_message = "passthrough_behavior must be NEVER, WHEN_NO_MATCH or WHEN_NO_TEMPLATES."
  }
}

variable "integration_request_parameters" {
  description = "Parameters of the call to the service, for example { \"integration.request.header.Content-Type\" = \"'application/x-www-form-urlencoded'\" }."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "request_templates" {
  description = "Mapping templates (VTL) by content type that turn the request into the service call."
  type        = map(string)
}

variable "responses" {
  description = "Answers by status code: the template (VTL) mapping the service's answer, and for all but the default one the selection_pattern (a regex on the service's HTTP status) that picks it."
  type = map(object({
    selection_pattern = optional(string)
    template          = string
  }))

  validation {
    condition     = length([for r in values(var.responses) : r if r.selection_pattern == null]) == 1
    error_message = "responses must have exactly one default answer (no selection_pattern)."
  }

  validation {
    condition     = alltrue([for code in keys(var.responses) : can(regex("^[1-5][0-9]{2}$", code))])
    error_message = "responses must be keyed by HTTP status codes."
  }
}
