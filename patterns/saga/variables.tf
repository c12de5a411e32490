variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-trips)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "compensation_retry" {
  description = "How a compensation that fails is retried before the saga stops for a person (Booking.CompensationFailed): first interval, backoff rate, attempts."
  type = object({
    interval_seconds = optional(number, 1)
    backoff_rate     = optional(number, 2)
    max_attempts     = optional(number, 6)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.compensation_retry.interval_seconds >= 1 && var.compensation_retry.backoff_rate >= 1 && var.compensation_retry.max_attempts >= 1 && var.compensation_retry.max_attempts <= 20
    error_message = "compensation_retry.interval_seconds must be at least 1, backoff_rate at least 1, max_attempts 1-20."
  }
}

variable "payment_limit" {
  description = "The largest amount the payment service charges (a stand-in for the card network's limit)."
  type        = number
  default     = 10000

  validation {
    condition     = var.payment_limit > 0
    error_message = "payment_limit must be more than zero."
  }
}

variable "log_level" {
  description = "Execution events logged: ALL, ERROR or FATAL."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be ALL, ERROR or FATAL."
  }
}

variable "include_execution_data" {
  description = "Log each event's input and output (bookings hold card digits: keep it off in production)."
  type        = bool
  default     = false
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the three services' tables."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the tables from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
