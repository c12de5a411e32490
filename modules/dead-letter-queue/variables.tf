variable "name" {
  description = "Name of the queue (FIFO names end in .fifo); the alarm is <name without .fifo>-not-empty."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,75}(\\.fifo)?$", var.name))
    error_message = "name must be 1-75 letters, digits, hyphens or underscores, optionally ending in .fifo."
  }
}

variable "fifo" {
  description = "A FIFO dead-letter queue (for a FIFO source queue)."
  type        = bool
  default     = false
}

variable "gave_up" {
  description = "Who put the messages there, for the alarm's description (for example \"a consumer gave up on them\")."
  type        = string
  default     = "a consumer gave up on them"
}

variable "kms_key_arn" {
  description = "Customer managed KMS key; null uses SQS-managed encryption."
  type        = string
  default     = null
}

variable "alarms" {
  description = "The library's one alarms interface: this queue always alarms when not empty, notifying `actions` (SNS topic ARNs); the other fields tune function alarms elsewhere."
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
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
