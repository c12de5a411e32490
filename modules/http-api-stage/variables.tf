variable "api_id" {
  description = "Id of the HTTP API the stage serves."
  type        = string
}

variable "name" {
  description = "Name of the API, used for the access log group /aws/apigateway/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,200}$", var.name))
    error_message = "name must be 1-200 letters, digits, dots, hyphens or underscores."
  }
}

variable "throttling" {
  description = "Throttling of every route: steady rate per second and burst."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 100, burst_limit = 200 }
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1
    error_message = "throttling.rate_limit must be positive and throttling.burst_limit at least 1."
  }
}

variable "log_retention_days" {
  description = "Days to keep the access log."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for the access log group; null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
