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
  description = "Function timeout in seconds: a batch holds its shard this long at most."
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
  description = "IAM statements the function needs beyond reading its stream, its logs and traces."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default  = []
  nullable = false
}

variable "stream_arn" {
  description = "The DynamoDB table stream or Kinesis data stream to read."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:(dynamodb:[^:]+:[0-9]{12}:table/[^/]+/stream/.+|kinesis:[^:]+:[0-9]{12}:stream/.+)$", var.stream_arn))
    error_message = "stream_arn must be a DynamoDB stream ARN (.../table/<name>/stream/<label>) or a Kinesis stream ARN."
  }
}

variable "starting_position" {
  description = "Where a new mapping starts: TRIM_HORIZON (the oldest record kept, so nothing written before the mapping is missed) or LATEST."
  type        = string
  default     = "TRIM_HORIZON"

  validation {
    condition     = contains(["TRIM_HORIZON", "LATEST"], var.starting_position)
    error_message = "starting_position must be TRIM_HORIZON or LATEST."
  }
}

variable "batch_size" {
  description = "Records per invocation at most (1-10000)."
  type        = number
  default     = 100

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000
    error_message = "batch_size must be between 1 and 10000."
  }
}

variable "batching_window_seconds" {
  description = "Seconds to wait for a fuller batch (0-300)."
  type        = number
  default     = 0

  validation {
    condition     = var.batching_window_seconds >= 0 && var.batching_window_seconds <= 300
    error_message = "batching_window_seconds must be between 0 and 300."
  }
}

variable "parallelization_factor" {
  description = "Batches of one shard processed at once (1-10); records of one key stay in order."
  type        = number
  default     = 1

  validation {
    condition     = var.parallelization_factor >= 1 && var.parallelization_factor <= 10
    error_message = "parallelization_factor must be between 1 and 10."
  }
}

variable "maximum_retry_attempts" {
  description = "Retries of a failing batch before it goes to the on-failure queue (0-10000). Unbounded retries (-1) would stall the shard on one bad record, so it is not offered."
  type        = number
  default     = 3

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 10000
    error_message = "maximum_retry_attempts must be between 0 and 10000."
  }
}

variable "maximum_record_age_seconds" {
  description = "Records older than this go to the on-failure queue unprocessed (60-604800)."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_record_age_seconds >= 60 && var.maximum_record_age_seconds <= 604800
    error_message = "maximum_record_age_seconds must be between 60 and 604800."
  }
}

variable "bisect_on_error" {
  description = "Split a failing batch in two before retrying, so one bad record does not hold back the rest."
  type        = bool
  default     = true
}

variable "tumbling_window_seconds" {
  description = "Tumbling windows of this many seconds (0-900; 0 for none): each invocation gets the window's state the last one returned, and a final one when the window ends. The function must answer {\"state\": {...}} (Lambda treats any other answer as a failure)."
  type        = number
  default     = 0

  validation {
    condition     = var.tumbling_window_seconds >= 0 && var.tumbling_window_seconds <= 900 && floor(var.tumbling_window_seconds) == var.tumbling_window_seconds
    error_message = "tumbling_window_seconds must be a whole number of seconds between 0 and 900."
  }
}

variable "filters" {
  description = "Event filter patterns (EventBridge syntax, as objects); a record no pattern matches is skipped. At most 5; empty delivers everything."
  type        = list(any)
  default     = []
  nullable    = false

  validation {
    condition     = length(var.filters) <= 5
    error_message = "filters takes at most 5 patterns (Lambda's limit)."
  }
}

variable "log_retention_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "Customer managed key of the stream (Kinesis), the on-failure queue, the function's environment and logs; null uses AWS managed keys."
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

variable "iterator_age_alarm_seconds" {
  description = "Where alarms are enabled: the age (seconds) of the records the function is given that alarms, meaning it falls behind its stream (records past the stream's retention are lost)."
  type        = number
  default     = 300
  nullable    = false

  validation {
    condition     = var.iterator_age_alarm_seconds >= 60
    error_message = "iterator_age_alarm_seconds must be at least 60."
  }
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "vpc" {
  description = "Subnets and security groups when the consumer writes to something inside a VPC; null keeps it outside."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}
