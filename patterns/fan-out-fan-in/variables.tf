variable "name" {
  description = "Prefix for every resource of this pattern; the documents bucket is <name>-documents, so it must be unique in S3 (for example acme-prod-wordcount)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "part_size" {
  description = "Documents per part: a job of N documents fans out to ceil(N / part_size) worker invocations."
  type        = number
  default     = 10

  validation {
    condition     = var.part_size >= 1 && var.part_size <= 1000 && floor(var.part_size) == var.part_size
    error_message = "part_size must be a whole number from 1 to 1000."
  }
}

variable "splitter_timeout_seconds" {
  description = "The splitter's timeout: it invokes the worker once per part before answering."
  type        = number
  default     = 60

  validation {
    condition     = var.splitter_timeout_seconds >= 1 && var.splitter_timeout_seconds <= 900
    error_message = "splitter_timeout_seconds must be between 1 and 900."
  }
}

variable "worker" {
  description = "The worker: timeout, reserved concurrency (-1: unreserved; a cap protects what the documents come from), the retries Lambda makes after an error (0-2) and the age after which it gives up on a part (60-21600 s)."
  type = object({
    timeout_seconds                = optional(number, 60)
    reserved_concurrent_executions = optional(number, -1)
    maximum_retry_attempts         = optional(number, 2)
    maximum_event_age_seconds      = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.worker.timeout_seconds >= 1 && var.worker.timeout_seconds <= 900 && var.worker.reserved_concurrent_executions >= -1
    error_message = "worker.timeout_seconds must be 1-900 and worker.reserved_concurrent_executions -1 or more."
  }

  validation {
    condition     = var.worker.maximum_retry_attempts >= 0 && var.worker.maximum_retry_attempts <= 2 && var.worker.maximum_event_age_seconds >= 60 && var.worker.maximum_event_age_seconds <= 21600
    error_message = "worker.maximum_retry_attempts must be 0-2 and worker.maximum_event_age_seconds 60-21600 (Lambda's limits)."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the jobs table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the jobs table, and keep the documents bucket while it holds objects."
  type        = bool
  default     = true
}
