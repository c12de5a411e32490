variable "name" {
  description = "Name of the queue; the dead-letter queue is <name>-dlq (FIFO queues get .fifo appended)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,70}$", var.name))
    error_message = "name must be 1-70 letters, digits, hyphens or underscores (without .fifo)."
  }
}

variable "fifo" {
  description = "Make both queues FIFO, with content-based deduplication."
  type        = bool
  default     = false
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout; for a Lambda consumer at least six times the function timeout."
  type        = number
  default     = 60

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200."
  }
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message."
  type        = number
  default     = 345600

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600."
  }
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
  default     = 3

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for both queues; null uses SQS-managed encryption."
  type        = string
  default     = null
}

variable "alarms" {
  description = "The library's one alarms interface: the dead-letter queue always alarms when not empty, notifying `actions` (SNS topic ARNs)."
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

variable "oldest_message_alarm_seconds" {
  description = "Where alarms are enabled: the age (seconds) of the queue's oldest message that alarms, meaning its consumers stopped or fall behind."
  type        = number
  default     = 900
  nullable    = false

  validation {
    condition     = var.oldest_message_alarm_seconds >= 60 && var.oldest_message_alarm_seconds < var.message_retention_seconds
    error_message = "oldest_message_alarm_seconds must be at least 60 and below message_retention_seconds (messages older than the retention are gone)."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
