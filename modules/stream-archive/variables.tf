variable "name" {
  description = "Prefix of the archive's resources: the delivery stream is <name>-archive, its role <name>-firehose."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "stream_arn" {
  description = "ARN of the Kinesis stream Firehose reads (from the delivery stream's creation on)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/", var.stream_arn))
    error_message = "stream_arn must be a Kinesis stream ARN."
  }
}

variable "stream_retention_hours" {
  description = "The stream's retention: Firehose reading a quarter of it behind alarms (records expire unread)."
  type        = number
  default     = 24
}

variable "bucket_arn" {
  description = "ARN of the archive bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.bucket_arn))
    error_message = "bucket_arn must be an S3 bucket ARN."
  }
}

variable "records_prefix" {
  description = "Where records go in the bucket (time_folder follows)."
  type        = string
  default     = "records/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_=/-]*/$", var.records_prefix))
    error_message = "records_prefix must be lowercase letters, digits, '_', '=', '-' or '/', ending with '/'."
  }
}

variable "failed_prefix" {
  description = "Where refused records go, as Firehose wrote them with its reason (<error type>/ and time_folder follow)."
  type        = string
  default     = "failed/"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_=/-]*/$", var.failed_prefix))
    error_message = "failed_prefix must be lowercase letters, digits, '_', '=', '-' or '/', ending with '/'."
  }
}

variable "time_folder" {
  description = "The folder of each object's time under both prefixes, in Firehose's timestamp expressions (UTC), ending with '/': yyyy/MM/dd/ by default, dt=!{timestamp:yyyy-MM-dd}/ for a Hive-style partition."
  type        = string
  default     = "!{timestamp:yyyy/MM/dd}/"

  validation {
    condition     = can(regex("!\\{timestamp:[^}]+\\}", var.time_folder)) && endswith(var.time_folder, "/")
    error_message = "time_folder must hold a !{timestamp:...} expression and end with '/'."
  }
}

variable "buffering" {
  description = "Firehose's buffer before the archive: an object is written when size_mb (1-128) of records wait or the oldest has waited interval_seconds (0-900), whichever first."
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
  description = "A function Firehose has transform every record before the archive, or null for none: its ARN, how many more times Firehose invokes it for a batch it failed (0-300), and Firehose's buffer before it (buffer_size_mb 0.2-3, buffer_interval_seconds 0-900)."
  type = object({
    function_arn            = string
    retries                 = optional(number, 3)
    buffer_size_mb          = optional(number, 1)
    buffer_interval_seconds = optional(number, 60)
  })
  default = null

  validation {
    condition = var.transform == null ? true : (
      var.transform.retries >= 0 && var.transform.retries <= 300 &&
      var.transform.buffer_size_mb >= 0.2 && var.transform.buffer_size_mb <= 3 &&
      var.transform.buffer_interval_seconds >= 0 && var.transform.buffer_interval_seconds <= 900
    )
    error_message = "transform.retries must be 0-300, transform.buffer_size_mb 0.2-3 and transform.buffer_interval_seconds 0-900."
  }
}

variable "log_retention_days" {
  description = "Days to keep Firehose's delivery error logs."
  type        = number
  default     = 30
}

variable "kms_key_arn" {
  description = "Customer managed key of the stream, the archive bucket and the logs (Firehose decrypts and encrypts with it); null when they use AWS managed keys."
  type        = string
  default     = null
}

variable "alarms" {
  description = "Alarms on Firehose falling behind the stream, the archive falling behind, and the transform failing, notifying actions."
  type = object({
    enabled          = optional(bool, false)
    actions          = optional(list(string), [])
    errors_threshold = optional(number, 1)
    period_seconds   = optional(number, 300)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains([60, 300, 900, 3600], var.alarms.period_seconds)
    error_message = "alarms.period_seconds must be one of 60, 300, 900, 3600."
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
