variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-gateway)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "partners_base_url" {
  description = "Base URL of the HTTP backend behind /partners/*: /partners/<path> is proxied to <base>/<path>, query kept."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/?#]+(/[^?#]*)?$", var.partners_base_url))
    error_message = "partners_base_url must be an http:// or https:// URL without query or fragment."
  }
}

variable "partners_timeout_ms" {
  description = "How long the API waits for the HTTP backend (50-30000 ms) before answering 504."
  type        = number
  default     = 10000

  validation {
    condition     = var.partners_timeout_ms >= 50 && var.partners_timeout_ms <= 30000
    error_message = "partners_timeout_ms must be between 50 and 30000 (API Gateway's limits)."
  }
}

variable "authorization_type" {
  description = "Authorization of every route: AWS_IAM (SigV4-signed callers allowed execute-api:Invoke) or NONE."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Requests per second and burst for every route."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1
    error_message = "throttling.rate_limit must be positive and throttling.burst_limit at least 1."
  }
}

variable "orders_function" {
  description = "The orders backend: its timeout (1-29 s) and reserved concurrency (-1: unreserved)."
  type = object({
    timeout_seconds                = optional(number, 10)
    reserved_concurrent_executions = optional(number, -1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.orders_function.timeout_seconds >= 1 && var.orders_function.timeout_seconds <= 29 && var.orders_function.reserved_concurrent_executions >= -1
    error_message = "orders_function.timeout_seconds must be 1-29 and reserved_concurrent_executions -1 or more."
  }
}

variable "max_receive_count" {
  description = "Receives of an event by its consumers before it moves to the events queue's dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the orders table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the orders table."
  type        = bool
  default     = true
}
