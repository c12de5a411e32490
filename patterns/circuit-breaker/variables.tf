variable "name" {
  description = "Prefix for every resource of this pattern, and the breaker's name (for example acme-dev-quotes)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "service_url" {
  description = "Base URL of the unreliable service; a caller's path is appended to it."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+", var.service_url))
    error_message = "service_url must be an http:// or https:// URL."
  }
}

variable "breaker" {
  description = "When the breaker opens (failure_threshold failures within failure_window_seconds; a 5xx, a timeout or no connection is a failure, a 4xx is not), how long it stays open at first (open_seconds, doubled after each failed trial up to max_open_seconds), and how long a call may take."
  type = object({
    failure_threshold      = optional(number, 5)
    failure_window_seconds = optional(number, 60)
    open_seconds           = optional(number, 30)
    max_open_seconds       = optional(number, 600)
    call_timeout_ms        = optional(number, 2000)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.breaker.failure_threshold >= 1 && var.breaker.failure_window_seconds >= 1 && var.breaker.open_seconds >= 1 && var.breaker.max_open_seconds >= var.breaker.open_seconds
    error_message = "breaker.failure_threshold, failure_window_seconds and open_seconds must be at least 1, and max_open_seconds at least open_seconds."
  }

  validation {
    condition     = var.breaker.call_timeout_ms >= 100 && var.breaker.call_timeout_ms <= 60000
    error_message = "breaker.call_timeout_ms must be between 100 and 60000."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the state table (the next calls rebuild the state; kept for audit)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the state table from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
