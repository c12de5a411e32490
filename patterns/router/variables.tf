variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-notify)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "tasks" {
  description = "Task types and their functions: the handler (the package's `task_router.handler.do_task` does email, sms and push; point another type at your own handler in the zip), its timeout, the retries Lambda makes after an error (0-2) and the age after which it gives up on a task (60-21600 s); either way the task lands in that type's dead-letter queue."
  type = map(object({
    handler                   = optional(string, "task_router.handler.do_task")
    timeout_seconds           = optional(number, 30)
    maximum_retry_attempts    = optional(number, 2)
    maximum_event_age_seconds = optional(number, 3600)
  }))
  nullable = false

  validation {
    condition     = length(var.tasks) >= 1 && alltrue([for type in keys(var.tasks) : can(regex("^[a-z][a-z0-9-]{0,23}$", type))])
    error_message = "tasks needs at least one type; a type is a lowercase name of up to 24 letters, digits or hyphens (function and role names have limits)."
  }

  validation {
    condition = alltrue([for task in values(var.tasks) :
    task.timeout_seconds >= 1 && task.timeout_seconds <= 900 && task.maximum_retry_attempts >= 0 && task.maximum_retry_attempts <= 2 && task.maximum_event_age_seconds >= 60 && task.maximum_event_age_seconds <= 21600])
    error_message = "each task needs timeout_seconds 1-900, maximum_retry_attempts 0-2 and maximum_event_age_seconds 60-21600 (Lambda's limits)."
  }
}

variable "router" {
  description = "The router: its timeout, the retries Lambda makes after an error (0-2; a task of no known type fails every time) and the age after which it gives up (60-21600 s)."
  type = object({
    timeout_seconds           = optional(number, 10)
    maximum_retry_attempts    = optional(number, 2)
    maximum_event_age_seconds = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.router.timeout_seconds >= 1 && var.router.timeout_seconds <= 900 && var.router.maximum_retry_attempts >= 0 && var.router.maximum_retry_attempts <= 2 && var.router.maximum_event_age_seconds >= 60 && var.router.maximum_event_age_seconds <= 21600
    error_message = "router needs timeout_seconds 1-900, maximum_retry_attempts 0-2 and maximum_event_age_seconds 60-21600 (Lambda's limits)."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the task tables."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the task tables."
  type        = bool
  default     = true
}
