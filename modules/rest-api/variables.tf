variable "name" {
  description = "Name of the API; also its access log group, /aws/apigateway/<name>/access."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.name))
    error_message = "name must be 1-128 letters, digits, dots, hyphens or underscores."
  }
}

variable "description" {
  description = "What the API is for, as the console shows it."
  type        = string
  default     = null
}

variable "paths" {
  description = "The API's resources, by path: [\"/items\", \"/items/{id}\"]. Every path's parent is in the list too (the root aside); at most 4 levels."
  type        = list(string)
  nullable    = false

  validation {
    condition     = alltrue([for path in var.paths : can(regex("^(/[A-Za-z0-9._~-]+|/\\{[A-Za-z0-9_]+\\+?\\})+$", path))])
    error_message = "paths must look like /items or /items/{id}: segments of letters, digits, . _ ~ - or a {parameter}."
  }

  validation {
    condition = alltrue([for path in var.paths : (
      length(split("/", path)) <= 2 || contains(var.paths, join("/", slice(split("/", path), 0, length(split("/", path)) - 1)))
    )])
    error_message = "Every path's parent must be in paths too (for /items/{id}, /items)."
  }

  validation {
    condition     = alltrue([for path in var.paths : length(split("/", path)) <= 5])
    error_message = "paths go at most 4 levels deep."
  }
}

variable "request_validator" {
  description = "The API's request validator (its methods name it): what it checks. null creates none."
  type = object({
    name       = optional(string, "body-and-parameters")
    body       = optional(bool, true)
    parameters = optional(bool, true)
  })
  default = {}
}

variable "redeployment_trigger" {
  description = "A value that changes whenever the API's methods, integrations or models change (a sha1 of them): the stage is redeployed when it does."
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
