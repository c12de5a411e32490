variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-metrics)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "stream" {
  description = "The readings stream: hours it keeps records (24-8760), on-demand capacity, or a fixed number of shards when on_demand is false."
  type = object({
    retention_hours = optional(number, 24)
    on_demand       = optional(bool, true)
    shards          = optional(number, 1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.stream.retention_hours >= 24 && var.stream.retention_hours <= 8760 && var.stream.shards >= 1
    error_message = "stream.retention_hours must be 24-8760 and stream.shards at least 1."
  }
}

variable "window_seconds" {
  description = "Length of each tumbling window, in seconds (1-900): the aggregates of a window are kept when it ends."
  type        = number
  default     = 60

  validation {
    condition     = var.window_seconds >= 1 && var.window_seconds <= 900 && floor(var.window_seconds) == var.window_seconds
    error_message = "window_seconds must be a whole number of seconds between 1 and 900."
  }
}

variable "aggregator" {
  description = "The window aggregator: timeout and memory, records per batch (1-10000), retries of a failing batch once bisected down to one record (0-10000) before it goes to the on-failure queue, and the age (60-604800 s) past which records go there unprocessed."
  type = object({
    timeout_seconds            = optional(number, 30)
    memory_size                = optional(number, 256)
    batch_size                 = optional(number, 500)
    maximum_retry_attempts     = optional(number, 2)
    maximum_record_age_seconds = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.aggregator.batch_size >= 1 && var.aggregator.batch_size <= 10000 && var.aggregator.maximum_retry_attempts >= 0 && var.aggregator.maximum_retry_attempts <= 10000
    error_message = "aggregator.batch_size must be 1-10000 and aggregator.maximum_retry_attempts 0-10000."
  }
}

variable "buffering" {
  description = "Firehose's buffers: records wait check_interval_seconds (0-900) before the check that keeps what is not a reading out of the archive, then an object is written when size_mb (1-128) of readings wait or the oldest has waited interval_seconds (0-900), whichever first."
  type = object({
    size_mb                = optional(number, 64)
    interval_seconds       = optional(number, 300)
    check_interval_seconds = optional(number, 60)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.buffering.size_mb >= 1 && var.buffering.size_mb <= 128 && var.buffering.interval_seconds >= 0 && var.buffering.interval_seconds <= 900 && var.buffering.check_interval_seconds >= 0 && var.buffering.check_interval_seconds <= 900
    error_message = "buffering.size_mb must be 1-128, buffering.interval_seconds and buffering.check_interval_seconds 0-900."
  }
}

variable "queryable_years" {
  description = "Years back from today the Glue table's day partitions reach (Athena sees no older folder)."
  type        = number
  default     = 5

  validation {
    condition     = var.queryable_years >= 1 && var.queryable_years <= 100 && floor(var.queryable_years) == var.queryable_years
    error_message = "queryable_years must be a whole number between 1 and 100."
  }
}

variable "query_scan_limit_mb" {
  description = "Athena cancels a query of the workgroup once it has scanned this many MiB (at least 10, Athena's minimum)."
  type        = number
  default     = 10240

  validation {
    condition     = var.query_scan_limit_mb >= 10
    error_message = "query_scan_limit_mb must be at least 10 (Athena's minimum per-query limit)."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the windows table (35 days of restore points)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Keep the windows table and the archive bucket from being destroyed (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
