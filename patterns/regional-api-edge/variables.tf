variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-products)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "public_max_age_seconds" {
  description = "How long the edge (and browsers) may keep the public product list: the API's Cache-Control max-age on GET /products. 0 keeps nothing."
  type        = number
  default     = 60

  validation {
    condition     = var.public_max_age_seconds >= 0 && var.public_max_age_seconds <= 86400
    error_message = "public_max_age_seconds must be 0-86400 (the edge's cache policy keeps nothing longer)."
  }
}

variable "throttling" {
  description = "Requests per second (steady and burst) the API takes, stage-wide and in the edge's usage plan: every viewer's uncached request counts against it."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = {
    rate_limit  = 50
    burst_limit = 100
  }
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1
    error_message = "throttling.rate_limit must be positive and throttling.burst_limit at least 1."
  }
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

variable "origin_read_timeout_seconds" {
  description = "How long the edge waits for the API's answer before a 504 (CloudFront allows 1-60 without a quota raise; API Gateway itself stops at 29)."
  type        = number
  default     = 30

  validation {
    condition     = var.origin_read_timeout_seconds >= 1 && var.origin_read_timeout_seconds <= 60
    error_message = "origin_read_timeout_seconds must be 1-60."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the products table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the products table and the editors' user pool from deletion."
  type        = bool
  default     = false
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency of each operation's function; -1 leaves them unreserved."
  type        = number
  default     = -1
}
