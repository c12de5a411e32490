variable "name" {
  description = "Prefix for every resource of this pattern, and of its two bucket names (for example acme-prod-docs)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "package_path" {
  description = "Path of the pub-sub zip built by `make build`."
  type        = string
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

variable "kms_key_arn" {
  description = "Customer managed KMS key for buckets, topic, queues, logs and environments (its policy must admit S3 and SNS: modules/kms-key does); null uses AWS managed keys. The topic always has a key of its own."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep the processors' logs."
  type        = number
  default     = 30
}

variable "alarms" {
  description = "Alarms on the processors' errors and throttles (every dead-letter queue always has its alarm), notifying actions; `errors_threshold` and `period_seconds` tune the function error alarms."
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
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
