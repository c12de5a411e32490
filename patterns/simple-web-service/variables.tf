variable "name" {
  description = "Prefix for every resource of this service (for example acme-dev-items)."
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

variable "authorization_type" {
  description = "Authorization of every method: AWS_IAM (SigV4-signed callers only) or NONE (a public API)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE (authorizers come with the gatekeeper pattern)."
  }
}

variable "throttling" {
  description = "Stage-wide throttling: steady requests per second and burst."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = {
    rate_limit  = 50
    burst_limit = 100
  }
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1
    error_message = "throttling.rate_limit must be positive and throttling.burst_limit at least 1."
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
  description = "Continuous backups of the items table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the items table from deletion."
  type        = bool
  default     = false
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency of each operation's function; -1 leaves them unreserved."
  type        = number
  default     = -1
}

variable "log_events" {
  description = "Log every incoming event (Powertools POWERTOOLS_LOGGER_LOG_EVENT). Off by default: events can carry personal data."
  type        = bool
  default     = false
}
