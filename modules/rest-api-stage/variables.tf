variable "rest_api_id" {
  description = "Id of the REST API to deploy."
  type        = string
}

variable "name" {
  description = "Name of the API, used for the access log group /aws/apigateway/<name>/access."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,200}$", var.name))
    error_message = "name must be 1-200 letters, digits, dots, hyphens or underscores."
  }
}

variable "redeployment_trigger" {
  description = "A value that changes whenever the API's methods, integrations or models change (for example a sha1 of their ids): a new deployment follows it."
  type        = string
}

variable "stage_name" {
  description = "Stage name."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 letters, digits or underscores."
  }
}

variable "throttling" {
  description = "Stage throttling for every method: steady rate per second and burst."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 100, burst_limit = 200 }
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit > 0
    error_message = "throttling.rate_limit and throttling.burst_limit must be positive."
  }
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

variable "cache" {
  description = "Stage cache: enabled, size in GB and TTL of cached GETs. Off by default (it is billed by the hour)."
  type = object({
    enabled     = optional(bool, false)
    size        = optional(string, "0.5")
    ttl_seconds = optional(number, 60)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"], var.cache.size)
    error_message = "cache.size must be one of 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237."
  }

  validation {
    condition     = var.cache.ttl_seconds >= 0 && var.cache.ttl_seconds <= 3600
    error_message = "cache.ttl_seconds must be between 0 and 3600."
  }
}

variable "log_retention_days" {
  description = "Days to keep the access log."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the access log group; null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
