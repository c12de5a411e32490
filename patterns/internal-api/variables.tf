variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-shop)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "service" {
  description = "The service function: its timeout (callers should wait a little longer), memory and reserved concurrency (-1: unreserved)."
  type = object({
    timeout_seconds                = optional(number, 10)
    memory_size                    = optional(number, 256)
    reserved_concurrent_executions = optional(number, -1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.service.timeout_seconds >= 1 && var.service.timeout_seconds <= 900
    error_message = "service.timeout_seconds must be between 1 and 900."
  }

  validation {
    condition     = var.service.memory_size >= 128 && var.service.memory_size <= 10240 && var.service.reserved_concurrent_executions >= -1
    error_message = "service.memory_size must be 128-10240 MB and service.reserved_concurrent_executions -1 or more."
  }
}

variable "invoker_principals" {
  description = "Principals of other accounts allowed to invoke the service through its resource policy: 12-digit account ids or IAM role ARNs. Callers of this account need only invoker_policy_json on their role."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.invoker_principals : can(regex("^([0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+)$", p))])
    error_message = "invoker_principals must be 12-digit account ids or IAM role ARNs."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the inventory table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the inventory table."
  type        = bool
  default     = true
}
