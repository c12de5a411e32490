variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "caller" {
  description = "The function handing orders off (invoked synchronously by its services): its timeout and reserved concurrency (-1: unreserved)."
  type = object({
    timeout_seconds                = optional(number, 10)
    reserved_concurrent_executions = optional(number, -1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.caller.timeout_seconds >= 1 && var.caller.timeout_seconds <= 900 && var.caller.reserved_concurrent_executions >= -1
    error_message = "caller.timeout_seconds must be 1-900 and caller.reserved_concurrent_executions -1 or more."
  }
}

variable "worker" {
  description = "The worker invoked asynchronously: its timeout, reserved concurrency (-1: unreserved), the retries Lambda makes after an error (0-2) and the age after which Lambda gives up on an event (60-21600 s); either way the event goes to the dead-letter queue."
  type = object({
    timeout_seconds                = optional(number, 30)
    reserved_concurrent_executions = optional(number, -1)
    maximum_retry_attempts         = optional(number, 2)
    maximum_event_age_seconds      = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.worker.timeout_seconds >= 1 && var.worker.timeout_seconds <= 900 && var.worker.reserved_concurrent_executions >= -1
    error_message = "worker.timeout_seconds must be 1-900 and worker.reserved_concurrent_executions -1 or more."
  }

  validation {
    condition     = var.worker.maximum_retry_attempts >= 0 && var.worker.maximum_retry_attempts <= 2
    error_message = "worker.maximum_retry_attempts must be 0, 1 or 2 (Lambda's limits)."
  }

  validation {
    condition     = var.worker.maximum_event_age_seconds >= 60 && var.worker.maximum_event_age_seconds <= 21600
    error_message = "worker.maximum_event_age_seconds must be between 60 and 21600 (Lambda's limits)."
  }
}

variable "on_success_destination_arn" {
  description = "Where Lambda sends a record of each order the worker processed (an SQS queue, SNS topic, Lambda function or EventBridge bus ARN), to chain further work; null sends none."
  type        = string
  default     = null

  validation {
    condition     = var.on_success_destination_arn == null ? true : can(regex("^arn:[a-z-]+:(sqs|sns|lambda|events):", var.on_success_destination_arn))
    error_message = "on_success_destination_arn must be an SQS queue, SNS topic, Lambda function or EventBridge bus ARN."
  }
}

variable "idempotency_hours" {
  description = "Hours the worker remembers an order id: a duplicate event within them has no second effect."
  type        = number
  default     = 24

  validation {
    condition     = var.idempotency_hours >= 1 && floor(var.idempotency_hours) == var.idempotency_hours
    error_message = "idempotency_hours must be a whole number of hours, at least 1."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the ledger table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the ledger table."
  type        = bool
  default     = true
}
