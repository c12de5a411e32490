variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "stage_name" {
  description = "API Gateway stage name."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 letters, digits or underscores."
  }
}

variable "identity" {
  description = "Who callers are: api_key (keys this service issues and a Lambda authorizer checks, returning a policy for the key's tenant) or cognito (a Cognito user pool's ID tokens; the tenant is the user's custom:tenant attribute)."
  type        = string
  default     = "api_key"

  validation {
    condition     = contains(["api_key", "cognito"], var.identity)
    error_message = "identity must be api_key or cognito."
  }
}

variable "self_sign_up" {
  description = "With identity cognito: whether people may create their own accounts (SignUp). Off by default: administrators create users and set their tenant; a user can never write custom:tenant either way."
  type        = bool
  default     = false
  nullable    = false
}

variable "authorizer_type" {
  description = "With identity api_key: TOKEN (the key in `Authorization: Bearer <key>`, its shape checked by the gateway before the authorizer runs) or REQUEST (the key in the `x-api-key` header)."
  type        = string
  default     = "TOKEN"

  validation {
    condition     = contains(["TOKEN", "REQUEST"], var.authorizer_type)
    error_message = "authorizer_type must be TOKEN or REQUEST."
  }
}

variable "authorizer_cache_ttl_seconds" {
  description = "How long API Gateway reuses an authorizer's decision for the same key (0-3600; 0 asks the authorizer every time). A revoked key keeps working until its cached decision expires."
  type        = number
  default     = 300

  validation {
    condition     = var.authorizer_cache_ttl_seconds >= 0 && var.authorizer_cache_ttl_seconds <= 3600
    error_message = "authorizer_cache_ttl_seconds must be between 0 and 3600."
  }
}

variable "throttling" {
  description = "Stage throttling: what a key's callers may send before the gateway answers 429."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 500, burst_limit = 1000 }
  nullable = false
}

variable "logging_level" {
  description = "API Gateway execution logging: OFF, ERROR or INFO. ERROR and INFO need the account's API Gateway CloudWatch role (modules/api-gateway-account)."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.logging_level)
    error_message = "logging_level must be OFF, ERROR or INFO."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the key and documents tables."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the tables from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
