variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-sales)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "ingest_prefix" {
  description = "Where sales files land in the ingestion bucket, each under a dt=YYYY-MM-DD/ folder (a .csv with a header: region, product, amount)."
  type        = string
  default     = "sales/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*/$", var.ingest_prefix))
    error_message = "ingest_prefix must be lowercase letters, digits, '_' or '-', ending with '/'."
  }
}

variable "report_triggers" {
  description = "What reports a day. `on_upload`: each .csv created under a day folder reports its day (S3 notifies the queue). `schedule`: EventBridge Scheduler reports a day at each firing of `expression` (cron or rate) on `timezone`'s clock (IANA name): the day `days_back` days before the firing's date there. Report on a schedule alone when a day's files arrive by the thousand."
  type = object({
    on_upload = optional(bool, true)
    schedule = optional(object({
      expression = string
      timezone   = optional(string, "UTC")
      days_back  = optional(number, 1)
    }))
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.report_triggers.on_upload || var.report_triggers.schedule != null
    error_message = "report_triggers needs on_upload, a schedule, or both: nothing would report a day."
  }

  validation {
    condition     = var.report_triggers.schedule == null ? true : can(regex("^(cron|rate)\\(.+\\)$", var.report_triggers.schedule.expression))
    error_message = "report_triggers.schedule.expression must be a cron(...) or rate(...) expression, for example cron(0 6 * * ? *)."
  }

  validation {
    condition     = var.report_triggers.schedule == null ? true : var.report_triggers.schedule.days_back >= 0 && var.report_triggers.schedule.days_back <= 366 && floor(var.report_triggers.schedule.days_back) == var.report_triggers.schedule.days_back
    error_message = "report_triggers.schedule.days_back must be a whole number of days, 0-366."
  }
}

variable "reporter" {
  description = "The reporter: timeout (it waits for its queries: 10-900 s), memory, messages per batch (1-10) and batches at once (2-1000)."
  type = object({
    timeout_seconds     = optional(number, 120)
    memory_size         = optional(number, 256)
    batch_size          = optional(number, 5)
    maximum_concurrency = optional(number, 2)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.reporter.timeout_seconds >= 10 && var.reporter.timeout_seconds <= 900 && var.reporter.batch_size >= 1 && var.reporter.batch_size <= 10
    error_message = "reporter.timeout_seconds must be 10-900 and reporter.batch_size 1-10."
  }
}

variable "retry_after_seconds" {
  description = "Seconds before a notification whose day failed is tried again (the queue's visibility timeout; at least the reporter's timeout, as Lambda requires); null: six times the timeout."
  type        = number
  default     = null

  validation {
    condition     = var.retry_after_seconds == null ? true : var.retry_after_seconds >= 10 && var.retry_after_seconds <= 43200
    error_message = "retry_after_seconds must be 10-43200 (and at least reporter.timeout_seconds: the reporter's queue checks it at plan)."
  }
}

variable "max_receive_count" {
  description = "Times a notification is tried (each a query) before it goes to the dead-letter queue."
  type        = number
  default     = 3

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be 1-1000."
  }
}

variable "queryable_years" {
  description = "Years back from today the table's day partitions reach (a file in an older day folder reports as failed: no rows)."
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

variable "deletion_protection" {
  description = "Keep the ingestion and reporting buckets from being destroyed while they hold objects (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
