# The inputs every pattern takes the same way: one file, linked into each pattern's folder
# (patterns/<name>/variables-common.tf), so the library's one interface for an idea cannot drift.

variable "alarms" {
  description = "The library's one alarms interface: when `enabled`, the functions' errors (at `errors_threshold` within `period_seconds`) and throttles alarm; dead-letter and on-failure queues always alarm. Alarms notify `actions` (SNS topic ARNs)."
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
