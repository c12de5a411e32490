variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-checkout); it also names the sampling rule and the trace group, which X-Ray caps at 32 characters."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,24}$", var.name))
    error_message = "name must be 2-25 lowercase letters, digits or hyphens, starting with a letter or digit (X-Ray caps the sampling rule's and group's names at 32)."
  }
}

variable "stock_service" {
  description = "The stock service checkout asks before it accepts an order: GET <url>?sku=<sku>&quantity=<n>. A 2xx answer reserves the stock, a 409 or 422 refuses the order (409 to the client), any other answer, an unreachable service or one slower than timeout_ms (per socket operation) fails it (502): each is a hop of the trace."
  type = object({
    url        = string
    timeout_ms = optional(number, 2000)
  })
  nullable = false

  validation {
    condition     = can(regex("^https?://[^/?#]+", var.stock_service.url)) && !can(regex("[?#]", var.stock_service.url))
    error_message = "stock_service.url must be an http(s) URL without a query or fragment (checkout adds ?sku=...&quantity=...)."
  }

  validation {
    condition     = var.stock_service.timeout_ms >= 100 && var.stock_service.timeout_ms <= 10000
    error_message = "stock_service.timeout_ms must be between 100 and 10000."
  }
}

variable "sampling" {
  description = "The API's sampling rule: requests traced per second (reservoir) and the share of the rest (fixed_rate, 0-1), and its priority among the account's rules (1-9999, lower first). Traces cost per request recorded: keep fixed_rate low in production."
  type = object({
    fixed_rate           = optional(number, 0.05)
    reservoir_per_second = optional(number, 1)
    priority             = optional(number, 1000)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.sampling.fixed_rate >= 0 && var.sampling.fixed_rate <= 1
    error_message = "sampling.fixed_rate must be between 0 and 1."
  }

  validation {
    condition     = var.sampling.reservoir_per_second >= 0 && floor(var.sampling.reservoir_per_second) == var.sampling.reservoir_per_second
    error_message = "sampling.reservoir_per_second must be a whole number, 0 or more."
  }

  validation {
    condition     = var.sampling.priority >= 1 && var.sampling.priority <= 9999
    error_message = "sampling.priority must be between 1 and 9999."
  }
}

variable "insights_enabled" {
  description = "X-Ray Insights on the group of the API's faulty traces (anomaly detection and notifications; billed per trace it analyzes)."
  type        = bool
  default     = false
}

variable "fulfil_timeout_seconds" {
  description = "Timeout of the fulfilment consumer; its queue's visibility timeout is six times this, as AWS recommends."
  type        = number
  default     = 30

  validation {
    condition     = var.fulfil_timeout_seconds >= 1 && var.fulfil_timeout_seconds <= 900
    error_message = "fulfil_timeout_seconds must be between 1 and 900."
  }
}

variable "max_receive_count" {
  description = "Deliveries of an order to the fulfilment consumer before it moves to the dead-letter queue."
  type        = number
  default     = 3

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
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
  description = "Authorization of every method: AWS_IAM (SigV4-signed callers only) or NONE (a public API)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE (authorizers come with the gatekeeper pattern)."
  }
}

variable "throttling" {
  description = "Stage-wide throttling: steady requests per second and burst."
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

variable "point_in_time_recovery" {
  description = "Continuous backups of the orders table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the orders table from deletion."
  type        = bool
  default     = false
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency of the checkout function; -1 leaves it unreserved."
  type        = number
  default     = -1
}
