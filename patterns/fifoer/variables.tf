variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-ledger)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "consumer" {
  description = "The consumer: its timeout, batch size (FIFO allows at most 10) and the cap on batches processed at once."
  type = object({
    timeout_seconds     = optional(number, 30)
    batch_size          = optional(number, 10)
    maximum_concurrency = optional(number, 5)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.consumer.batch_size >= 1 && var.consumer.batch_size <= 10
    error_message = "consumer.batch_size must be 1-10 for a FIFO queue."
  }

  validation {
    condition     = var.consumer.maximum_concurrency >= 2 && var.consumer.maximum_concurrency <= 1000
    error_message = "consumer.maximum_concurrency must be between 2 and 1000 (Lambda's limits for SQS)."
  }

  validation {
    condition     = var.consumer.timeout_seconds >= 1 && var.consumer.timeout_seconds <= 900
    error_message = "consumer.timeout_seconds must be between 1 and 900."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the event queue; null means six times the consumer's timeout, as AWS recommends. A failed message blocks its group for this long before its retry."
  type        = number
  default     = null

  validation {
    condition     = var.visibility_timeout_seconds == null ? true : var.visibility_timeout_seconds >= 1 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 1 and 43200 (and should be at least the consumer's timeout)."
  }
}

variable "max_receive_count" {
  description = "Deliveries of an event before it moves to the dead-letter queue (and unblocks its group)."
  type        = number
  default     = 3

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "deduplication_days" {
  description = "Days the consumer remembers a deduplication id (SQS itself remembers five minutes): a producer retry within them has no second effect."
  type        = number
  default     = 7

  validation {
    condition     = var.deduplication_days >= 1 && floor(var.deduplication_days) == var.deduplication_days
    error_message = "deduplication_days must be a whole number of days, at least 1."
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
