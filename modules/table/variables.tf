variable "name" {
  description = "Table name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 letters, digits, underscores, hyphens or dots."
  }
}

variable "hash_key" {
  description = "Partition key attribute (a string)."
  type        = string
}

variable "range_key" {
  description = "Sort key attribute (a string); null for a table with a partition key only."
  type        = string
  default     = null
}

variable "ttl_attribute" {
  description = "Attribute holding each item's expiry (epoch seconds); null turns TTL off."
  type        = string
  default     = null
}

variable "stream_view_type" {
  description = "What the table's stream records of each change (NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES or KEYS_ONLY); null: no stream."
  type        = string
  default     = null

  validation {
    condition     = var.stream_view_type == null || contains(["NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"], coalesce(var.stream_view_type, "KEYS_ONLY"))
    error_message = "stream_view_type must be NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY or null."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups (35 days of restore points)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse DeleteTable (terraform destroy included) until turned off."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "Customer managed KMS key; null uses the AWS managed key (alias/aws/dynamodb)."
  type        = string
  default     = null
}

variable "alarms" {
  description = "The library's one alarms interface: where enabled, throttled reads or writes of the table alarm, notifying `actions` (SNS topic ARNs)."
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
  description = "Tags for the table."
  type        = map(string)
  default     = {}
  nullable    = false
}
