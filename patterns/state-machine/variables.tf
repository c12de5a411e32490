variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-orders-flow)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "type" {
  description = "STANDARD (exactly-once, full execution history) or EXPRESS (at-least-once, up to 5 minutes, callable synchronously with StartSyncExecution; history only in the logs)."
  type        = string
  default     = "STANDARD"

  validation {
    condition     = contains(["STANDARD", "EXPRESS"], var.type)
    error_message = "type must be STANDARD or EXPRESS."
  }
}

variable "log_level" {
  description = "Execution events logged: ALL, ERROR or FATAL; null: ERROR for STANDARD, ALL for EXPRESS (whose only history is its log)."
  type        = string
  default     = null

  validation {
    condition     = var.log_level == null || contains(["ALL", "ERROR", "FATAL"], coalesce(var.log_level, "ALL"))
    error_message = "log_level must be ALL, ERROR, FATAL or null."
  }
}

variable "include_execution_data" {
  description = "Log each event's input and output (orders hold customer names: keep it off in production)."
  type        = bool
  default     = false
}

variable "retry" {
  description = "How CheckStock retries while another process holds a stock record (InventoryBusy): first interval, backoff rate, attempts."
  type = object({
    interval_seconds = optional(number, 1)
    backoff_rate     = optional(number, 2)
    max_attempts     = optional(number, 3)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.retry.interval_seconds >= 1 && var.retry.backoff_rate >= 1 && var.retry.max_attempts >= 0 && var.retry.max_attempts <= 10
    error_message = "retry.interval_seconds must be at least 1, retry.backoff_rate at least 1, retry.max_attempts 0-10."
  }
}

variable "pack_concurrency" {
  description = "Order lines packed at once by the Map state (0: as many as Step Functions allows)."
  type        = number
  default     = 5

  validation {
    condition     = var.pack_concurrency >= 0 && var.pack_concurrency <= 40
    error_message = "pack_concurrency must be between 0 and 40."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the orders and inventory tables."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the tables from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
