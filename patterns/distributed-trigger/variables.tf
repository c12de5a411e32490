variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
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
