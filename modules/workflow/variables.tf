variable "name" {
  description = "Name of the state machine (and prefix of its role and log group)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,57}$", var.name))
    error_message = "name must be 1-57 letters, digits, hyphens or underscores (the role adds -states)."
  }
}

variable "definition" {
  description = "The workflow in Amazon States Language, as a JSON string (jsonencode it)."
  type        = string

  validation {
    condition     = can(jsondecode(var.definition).StartAt) && can(jsondecode(var.definition).States)
    error_message = "definition must be an Amazon States Language document with StartAt and States."
  }
}

variable "type" {
  description = "STANDARD (exactly-once, up to a year, full history) or EXPRESS (at-least-once, up to 5 minutes, history only in the logs)."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXPRESS"], var.type)
    error_message = "type must be STANDARD or EXPRESS."
  }
}

variable "policy_statements" {
  description = "IAM statements the workflow's tasks need (functions to invoke, tables to write, ...)."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default  = []
  nullable = false
}

variable "log_level" {
  description = "Execution events logged: ALL, ERROR (failures only) or FATAL (failed executions only). EXPRESS workflows keep no other history, so ALL suits them."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["ALL", "ERROR", "FATAL"], var.log_level)
    error_message = "log_level must be ALL, ERROR or FATAL."
  }
}

variable "include_execution_data" {
  description = "Log each event's input and output (may hold personal data; useful outside production)."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days to keep the execution logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the log group; null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "alarms" {
  description = "An alarm on failed executions, notifying actions (SNS topic ARNs); `errors_threshold` and `period_seconds` tune it."
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
