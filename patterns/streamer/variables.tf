variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "stage_name" {
  description = "API Gateway stage name."
  type        = string
  default     = "v1"

  validation {
    condition     = can(regex("^[A-Za-z0-9_]{1,64}$", var.stage_name))
    error_message = "stage_name must be 1-64 letters, digits or underscores."
  }
}

variable "authorization_type" {
  description = "Authorization of the API's methods: AWS_IAM (SigV4-signed callers only) or NONE (a public API)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Stage throttling of the front door (an on-demand stream absorbs the rest; a provisioned one takes 1,000 records a second per shard)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 500, burst_limit = 1000 }
  nullable = false
}

variable "logging_level" {
  description = "API Gateway execution logging: OFF, ERROR or INFO. ERROR and INFO need the account's API Gateway CloudWatch role (modules/api-gateway-account)."
  type        = string
  default     = "ERROR"

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.logging_level)
    error_message = "logging_level must be OFF, ERROR or INFO."
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

variable "buffering" {
  description = "Firehose's buffer before the archive: an object is written when size_mb (1-128) of clean readings wait or the oldest has waited interval_seconds (0-900), whichever first."
  type = object({
    size_mb          = optional(number, 5)
    interval_seconds = optional(number, 300)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.buffering.size_mb >= 1 && var.buffering.size_mb <= 128 && var.buffering.interval_seconds >= 0 && var.buffering.interval_seconds <= 900
    error_message = "buffering.size_mb must be 1-128 and buffering.interval_seconds 0-900."
  }
}

variable "transform" {
  description = "The transform function: its timeout (at most 300 s, Firehose's limit) and memory, how many more times Firehose invokes it for a batch it failed (0-300), and Firehose's buffer before it (buffer_size_mb 0.2-3, buffer_interval_seconds 0-900)."
  type = object({
    timeout_seconds         = optional(number, 60)
    memory_size             = optional(number, 256)
    retries                 = optional(number, 3)
    buffer_size_mb          = optional(number, 1)
    buffer_interval_seconds = optional(number, 60)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.transform.timeout_seconds >= 1 && var.transform.timeout_seconds <= 300 && var.transform.retries >= 0 && var.transform.retries <= 300
    error_message = "transform.timeout_seconds must be 1-300 and transform.retries 0-300."
  }

  validation {
    condition     = var.transform.buffer_size_mb >= 0.2 && var.transform.buffer_size_mb <= 3 && var.transform.buffer_interval_seconds >= 0 && var.transform.buffer_interval_seconds <= 900
    error_message = "transform.buffer_size_mb must be 0.2-3 and transform.buffer_interval_seconds 0-900."
  }
}

variable "records_prefix" {
  description = "Where clean readings go in the archive bucket (a day's folder, yyyy/MM/dd/, follows)."
  type        = string
  default     = "readings/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_=/-]*/$", var.records_prefix))
    error_message = "records_prefix must be lowercase letters, digits, '_', '=', '-' or '/', ending with '/'."
  }
}

variable "failed_prefix" {
  description = "Where refused records go, as Firehose wrote them with its reason (processing-failed/yyyy/MM/dd/ follows)."
  type        = string
  default     = "failed/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_=/-]*/$", var.failed_prefix))
    error_message = "failed_prefix must be lowercase letters, digits, '_', '=', '-' or '/', ending with '/'."
  }
}

variable "deletion_protection" {
  description = "Keep the archive bucket from being destroyed while it holds objects (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
