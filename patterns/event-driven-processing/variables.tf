variable "name" {
  description = "Prefix for every resource of this pattern; the buckets are <name>-input and <name>-output, so it must be unique in S3 (for example acme-prod-sales)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "input_prefix" {
  description = "Uploads under this prefix of the input bucket are processed (empty: every key)."
  type        = string
  default     = "incoming/"

  validation {
    condition     = var.input_prefix == "" || can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.input_prefix))
    error_message = "input_prefix must be empty or a key prefix ending in /."
  }
}

variable "input_suffix" {
  description = "Only keys ending with this are processed (empty: every key under the prefix)."
  type        = string
  default     = ".csv"
}

variable "report_prefix" {
  description = "Prefix of the reports in the output bucket (reports/<upload path>.json)."
  type        = string
  default     = "reports/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.report_prefix))
    error_message = "report_prefix must be a key prefix ending in /."
  }
}

variable "failed_prefix" {
  description = "Prefix in the output bucket where an upload that can never be processed is recorded with the reason."
  type        = string
  default     = "failed/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.failed_prefix))
    error_message = "failed_prefix must be a key prefix ending in /."
  }
}

variable "processor" {
  description = "The processor: timeout, memory, the largest upload it reads (bytes; a larger one is recorded as failed), reserved concurrency (-1: unreserved), the retries Lambda makes after an error (0-2) and the age after which it gives up on an event (60-21600 s)."
  type = object({
    timeout_seconds                = optional(number, 60)
    memory_size                    = optional(number, 512)
    max_bytes                      = optional(number, 52428800)
    reserved_concurrent_executions = optional(number, -1)
    maximum_retry_attempts         = optional(number, 2)
    maximum_event_age_seconds      = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.processor.timeout_seconds >= 1 && var.processor.timeout_seconds <= 900 && var.processor.memory_size >= 128 && var.processor.memory_size <= 10240 && var.processor.max_bytes >= 1
    error_message = "processor needs timeout_seconds 1-900, memory_size 128-10240 and max_bytes of at least 1."
  }

  validation {
    condition     = var.processor.maximum_retry_attempts >= 0 && var.processor.maximum_retry_attempts <= 2 && var.processor.maximum_event_age_seconds >= 60 && var.processor.maximum_event_age_seconds <= 21600 && var.processor.reserved_concurrent_executions >= -1
    error_message = "processor needs maximum_retry_attempts 0-2, maximum_event_age_seconds 60-21600 (Lambda's limits) and reserved_concurrent_executions -1 or more."
  }
}

variable "deletion_protection" {
  description = "Keep the buckets from being destroyed while they hold objects (force_destroy off)."
  type        = bool
  default     = true
}
