variable "name" {
  description = "Name of the function (and prefix of its role and log group)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,61}$", var.name))
    error_message = "name must be 1-61 letters, digits, hyphens or underscores (the role adds -fn)."
  }
}

variable "description" {
  description = "What the function does."
  type        = string
  default     = ""
}

variable "package_path" {
  description = "Path of the zip built by `make build`."
  type        = string
}

variable "code_bucket" {
  description = "Existing S3 bucket that keeps Lambda code (see modules/lambda-function); null uploads the zip with the function."
  type        = string
  default     = null
}

variable "handler" {
  description = "Handler as package.module.function; it must return Lambda's partial batch response ({\"batchItemFailures\": [...]})."
  type        = string
}

variable "timeout" {
  description = "Function timeout in seconds; the queue's visibility timeout should be six times it."
  type        = number
  default     = 30
}

variable "memory_size" {
  description = "Memory in MB."
  type        = number
  default     = 256
}

variable "environment" {
  description = "Environment variables of the function. No secrets: pass names of secrets instead."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "policy_statements" {
  description = "IAM statements the function needs beyond consuming its queue, its logs and traces."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default  = []
  nullable = false
}

variable "queue_arn" {
  description = "The queue to drain."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sqs:", var.queue_arn))
    error_message = "queue_arn must be the ARN of an SQS queue."
  }
}

variable "queue_visibility_timeout_seconds" {
  description = "The queue's visibility timeout, checked against the function timeout at plan (Lambda refuses a mapping whose queue times out first); null skips the check."
  type        = number
  default     = null
}

variable "batch_size" {
  description = "Messages per invocation (at most 10 for a FIFO queue)."
  type        = number
  default     = 10

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000
    error_message = "batch_size must be 1-10000."
  }
}

variable "batching_window_seconds" {
  description = "How long to gather a batch; null for FIFO queues, which do not allow one."
  type        = number
  default     = null

  validation {
    condition     = var.batching_window_seconds == null ? true : var.batching_window_seconds >= 0 && var.batching_window_seconds <= 300
    error_message = "batching_window_seconds must be 0-300 (or null)."
  }
}

variable "maximum_concurrency" {
  description = "Most batches processed at once (Lambda's scaling_config for SQS)."
  type        = number
  default     = 5

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000
    error_message = "maximum_concurrency must be between 2 and 1000 (Lambda's limits for SQS)."
  }
}

variable "log_retention_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "Customer managed key of the queue, the function's environment and logs; null uses AWS managed keys."
  type        = string
  default     = null
}

variable "alarms" {
  description = "Alarms on the function's errors and throttles, notifying actions; `errors_threshold` and `period_seconds` tune the function error alarms."
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
