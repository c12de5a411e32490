variable "name" {
  description = "Prefix for every resource of this pattern; the buckets are <name>-input and <name>-work, so it must be unique in S3 (for example acme-prod-corpus)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "input_prefix" {
  description = "Uploads under this prefix of the input bucket start a job."
  type        = string
  default     = "input/"

  validation {
    condition     = can(regex("^[A-Za-z0-9!_.*'()/-]+/$", var.input_prefix))
    error_message = "input_prefix must be a key prefix ending in /."
  }
}

variable "chunk_bytes" {
  description = "Bytes per mapper: an upload of S bytes starts ceil(S / chunk_bytes) mappers (at least 1024)."
  type        = number
  default     = 8388608

  validation {
    condition     = var.chunk_bytes >= 1024 && floor(var.chunk_bytes) == var.chunk_bytes
    error_message = "chunk_bytes must be a whole number of bytes, at least 1024."
  }
}

variable "coordinator_timeout_seconds" {
  description = "The coordinator's timeout: it starts one mapper per range."
  type        = number
  default     = 60

  validation {
    condition     = var.coordinator_timeout_seconds >= 1 && var.coordinator_timeout_seconds <= 900
    error_message = "coordinator_timeout_seconds must be between 1 and 900."
  }
}

variable "mapper" {
  description = "The mappers: timeout, memory (a range is read whole: chunk_bytes must fit) and reserved concurrency (-1: unreserved; a cap bounds how many ranges run at once)."
  type = object({
    timeout_seconds                = optional(number, 120)
    memory_size                    = optional(number, 1024)
    reserved_concurrent_executions = optional(number, -1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.mapper.timeout_seconds >= 1 && var.mapper.timeout_seconds <= 900 && var.mapper.memory_size >= 128 && var.mapper.memory_size <= 10240 && var.mapper.reserved_concurrent_executions >= -1
    error_message = "mapper needs timeout_seconds 1-900, memory_size 128-10240 and reserved_concurrent_executions -1 or more."
  }
}

variable "reducer" {
  description = "The reducer: timeout and memory (it holds every distinct word's count)."
  type = object({
    timeout_seconds = optional(number, 300)
    memory_size     = optional(number, 1024)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.reducer.timeout_seconds >= 1 && var.reducer.timeout_seconds <= 900 && var.reducer.memory_size >= 128 && var.reducer.memory_size <= 10240
    error_message = "reducer needs timeout_seconds 1-900 and memory_size 128-10240."
  }
}

variable "maximum_retry_attempts" {
  description = "Retries Lambda makes after an error of the coordinator, a mapper or the reducer (0-2); then the event lands in the dead-letter queue."
  type        = number
  default     = 2

  validation {
    condition     = var.maximum_retry_attempts >= 0 && var.maximum_retry_attempts <= 2
    error_message = "maximum_retry_attempts must be 0, 1 or 2 (Lambda's limits)."
  }
}

variable "maximum_event_age_seconds" {
  description = "Age after which Lambda gives up on an event (60-21600 s); it lands in the dead-letter queue."
  type        = number
  default     = 3600

  validation {
    condition     = var.maximum_event_age_seconds >= 60 && var.maximum_event_age_seconds <= 21600
    error_message = "maximum_event_age_seconds must be between 60 and 21600."
  }
}

variable "deletion_protection" {
  description = "Keep the buckets from being destroyed while they hold objects (force_destroy off)."
  type        = bool
  default     = true
}
