variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-payments)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "subscribers" {
  description = "Subscribers by name: the event types each one receives. Each gets its own queue, DLQ, filter policy and consumer."
  type = map(object({
    event_types = list(string)
  }))

  validation {
    condition     = length(var.subscribers) >= 1 && alltrue([for name, s in var.subscribers : can(regex("^[a-z0-9][a-z0-9-]{0,19}$", name))])
    error_message = "subscribers must name at least one subscriber, each 1-20 lowercase letters, digits or hyphens."
  }

  validation {
    condition     = alltrue([for s in var.subscribers : length(s.event_types) >= 1 && length(s.event_types) <= 150 && alltrue([for t in s.event_types : can(regex("^[A-Za-z0-9._-]{1,64}$", t))])])
    error_message = "each subscriber needs 1-150 event types, each 1-64 letters, digits, dots, hyphens or underscores (the API's Event model)."
  }
}

variable "stage_name" {
  description = "API Gateway stage name."
  type        = string
  default     = "v1"
}

variable "authorization_type" {
  description = "Authorization of the API's method: AWS_IAM (SigV4-signed callers only) or NONE (a public API)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Stage throttling of the front door."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 500, burst_limit = 1000 }
  nullable = false
}

variable "logging_level" {
  description = "API Gateway execution logging: OFF, ERROR or INFO. ERROR and INFO need the account's API Gateway CloudWatch role (modules/api-gateway-account)."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.logging_level)
    error_message = "logging_level must be OFF, ERROR or INFO."
  }
}

variable "consumer" {
  description = "Every subscriber's consumer: timeout, batch size and window, and the cap on batches processed at once."
  type = object({
    timeout_seconds         = optional(number, 30)
    batch_size              = optional(number, 10)
    batching_window_seconds = optional(number, 0)
    maximum_concurrency     = optional(number, 5)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.consumer.maximum_concurrency >= 2 && var.consumer.maximum_concurrency <= 1000
    error_message = "consumer.maximum_concurrency must be between 2 and 1000 (Lambda's limits for SQS)."
  }

  validation {
    condition     = var.consumer.batch_size >= 1 && var.consumer.batch_size <= 10000 && var.consumer.batching_window_seconds >= 0 && var.consumer.batching_window_seconds <= 300
    error_message = "consumer.batch_size must be 1-10000 and consumer.batching_window_seconds 0-300."
  }

  validation {
    condition     = var.consumer.timeout_seconds >= 1 && var.consumer.timeout_seconds <= 900
    error_message = "consumer.timeout_seconds must be between 1 and 900."
  }
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout of the subscriber queues; null means six times the consumer's timeout, as AWS recommends."
  type        = number
  default     = null

  validation {
    condition     = var.visibility_timeout_seconds == null ? true : var.visibility_timeout_seconds >= 1 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 1 and 43200 (and should be at least the consumer's timeout)."
  }
}

variable "max_receive_count" {
  description = "Deliveries of an event to a consumer before it moves to that subscriber's dead-letter queue."
  type        = number
  default     = 3

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the deliveries table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the tables from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
