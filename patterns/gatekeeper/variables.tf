variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "package_path" {
  description = "Path of the gatekeeper zip built by `make build`."
  type        = string
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

variable "kms_key_arn" {
  description = "Customer managed KMS key for the tables, logs and the functions' environment; null uses AWS managed keys."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep the functions' and the API's logs."
  type        = number
  default     = 30
}

variable "alarms" {
  description = "Alarms on the functions' errors and throttles, notifying actions; `errors_threshold` and `period_seconds` tune the function error alarms."
  type = object({
    enabled          = optional(bool, false)
    actions          = optional(list(string), [])
    errors_threshold = optional(number, 1)
    period_seconds   = optional(number, 300)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.errors_threshold >= 1 && contains([60, 300, 900, 3600], var.alarms.period_seconds)
    error_message = "alarms.errors_threshold must be at least 1 and alarms.period_seconds one of 60, 300, 900, 3600."
  }

  validation {
    condition     = alltrue([for arn in var.alarms.actions : can(regex("^arn:aws[a-z-]*:sns:", arn))])
    error_message = "alarms.actions must be SNS topic ARNs."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
