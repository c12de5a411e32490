variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "package_path" {
  description = "Path of the distributed-trigger zip built by `make build`."
  type        = string
}

variable "service_name" {
  description = "The service whose notifications these are (the notification's `service` field)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]{1,64}$", var.service_name))
    error_message = "service_name must be 1-64 letters, digits, dots, hyphens or underscores."
  }
}

variable "event_bus_name" {
  description = "The EventBridge bus the source events arrive on."
  type        = string
  default     = "default"
}

variable "event_pattern" {
  description = "EventBridge event pattern selecting the source events (for example { source = [\"acme.orders\"] })."
  type        = any

  validation {
    condition     = can(keys(var.event_pattern)) && length(keys(var.event_pattern)) > 0
    error_message = "event_pattern must be a non-empty object: a rule matching every event would trigger on everything."
  }
}

variable "trigger" {
  description = "The trigger function: timeout, and how often and how long failed source events are retried before the DLQ."
  type = object({
    timeout_seconds           = optional(number, 10)
    maximum_retry_attempts    = optional(number, 2)
    maximum_event_age_seconds = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.trigger.maximum_retry_attempts >= 0 && var.trigger.maximum_retry_attempts <= 2
    error_message = "trigger.maximum_retry_attempts must be 0-2 (Lambda's limit for asynchronous invocation)."
  }

  validation {
    condition     = var.trigger.maximum_event_age_seconds >= 60 && var.trigger.maximum_event_age_seconds <= 21600
    error_message = "trigger.maximum_event_age_seconds must be between 60 and 21600."
  }

  validation {
    condition     = var.trigger.timeout_seconds >= 1 && var.trigger.timeout_seconds <= 900
    error_message = "trigger.timeout_seconds must be between 1 and 900."
  }
}

variable "subscribers" {
  description = "Subscribing services by name: the notification types each buffers (null: all) and how long its queue keeps them."
  type = map(object({
    event_types       = optional(list(string))
    retention_seconds = optional(number, 345600)
  }))
  default  = {}
  nullable = false

  validation {
    condition     = alltrue([for name, s in var.subscribers : can(regex("^[a-z0-9][a-z0-9-]{0,24}$", name))])
    error_message = "subscriber names must be 1-25 lowercase letters, digits or hyphens."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the topic, queues, logs and environment (its policy must admit SNS and EventBridge: modules/kms-key does); null uses AWS managed keys."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep the trigger's logs."
  type        = number
  default     = 30
}

variable "alarms" {
  description = "Alarms on the trigger's errors and throttles (dead-letter queues always have theirs), notifying actions; `errors_threshold` and `period_seconds` tune the function error alarms."
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
