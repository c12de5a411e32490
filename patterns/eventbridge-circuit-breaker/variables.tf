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
  description = "When calls stop: failure_threshold failed calls recorded within failure_window_seconds (a 5xx, a timeout or no connection; a 4xx is not a failure); calls resume as the failures age out of the window. call_timeout_ms bounds each call."
  type = object({
    failure_threshold      = optional(number, 5)
    failure_window_seconds = optional(number, 60)
    call_timeout_ms        = optional(number, 2000)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.breaker.failure_threshold >= 1 && var.breaker.failure_window_seconds >= 60 && var.breaker.failure_window_seconds <= 21600
    error_message = "breaker.failure_threshold must be at least 1 and failure_window_seconds 60-21600 (the window is the recorder's maximum event age: EventBridge allows 60-86400 s, Lambda's asynchronous invocation 60-21600 s)."
  }

  validation {
    condition     = var.breaker.call_timeout_ms >= 100 && var.breaker.call_timeout_ms <= 60000
    error_message = "breaker.call_timeout_ms must be between 100 and 60000."
  }
}

variable "deletion_protection" {
  description = "Protect the failures table from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
