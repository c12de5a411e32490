variable "name" {
  description = "Prefix for every resource of this pattern, and of its two bucket names (for example acme-prod-docs)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "upload_prefix" {
  description = "Only uploads whose key starts with this prefix are processed (empty: every upload)."
  type        = string
  default     = ""
}

variable "preview_bytes" {
  description = "Size of the preview of a text upload."
  type        = number
  default     = 1024

  validation {
    condition     = var.preview_bytes >= 1 && var.preview_bytes <= 1048576
    error_message = "preview_bytes must be between 1 and 1048576."
  }
}

variable "consumer" {
  description = "Every processor: timeout, memory, batch size and the cap on batches processed at once."
  type = object({
    timeout_seconds     = optional(number, 60)
    memory_mb           = optional(number, 512)
    batch_size          = optional(number, 5)
    maximum_concurrency = optional(number, 5)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.consumer.maximum_concurrency >= 2 && var.consumer.maximum_concurrency <= 1000
    error_message = "consumer.maximum_concurrency must be between 2 and 1000 (Lambda's limits for SQS)."
  }

  validation {
    condition     = var.consumer.batch_size >= 1 && var.consumer.batch_size <= 10
    error_message = "consumer.batch_size must be 1-10 (each record means reading and writing an object)."
  }

  validation {
    condition     = var.consumer.timeout_seconds >= 1 && var.consumer.timeout_seconds <= 900 && var.consumer.memory_mb >= 128 && var.consumer.memory_mb <= 10240
    error_message = "consumer.timeout_seconds must be 1-900 and consumer.memory_mb 128-10240."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the processor queues; null means six times the consumer's timeout, as AWS recommends."
  type        = number
  default     = null

  validation {
    condition     = var.visibility_timeout_seconds == null ? true : var.visibility_timeout_seconds >= 1 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 1 and 43200 (and should be at least the consumer's timeout)."
  }
}

variable "max_receive_count" {
  description = "Deliveries of an upload to a processor before it moves to that processor's dead-letter queue."
  type        = number
  default     = 3

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "deletion_protection" {
  description = "Refuse to destroy the buckets while they hold objects; false lets terraform destroy delete them with their objects (test and scratch environments only)."
  type        = bool
  default     = true
}
