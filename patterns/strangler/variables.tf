variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-shop-facade)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "legacy_base_url" {
  description = "Base URL of the legacy application; every route not migrated is proxied to it, path and query kept."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/?#]+(/[^?#]*)?$", var.legacy_base_url))
    error_message = "legacy_base_url must be an http:// or https:// URL without query or fragment."
  }
}

variable "migrated_routes" {
  description = "Routes the new products service answers instead of the legacy application; flip a route back by removing it. The service implements GET /products, GET /products/{id} and POST /products."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for route in var.migrated_routes : contains(["GET /products", "GET /products/{id}", "POST /products"], route)])
    error_message = "migrated_routes may hold only routes the products service implements: GET /products, GET /products/{id}, POST /products."
  }

  validation {
    condition     = length(distinct(var.migrated_routes)) == length(var.migrated_routes)
    error_message = "migrated_routes must not repeat a route."
  }
}

variable "legacy_timeout_ms" {
  description = "How long the facade waits for the legacy application (50-30000 ms) before answering 504."
  type        = number
  default     = 10000

  validation {
    condition     = var.legacy_timeout_ms >= 50 && var.legacy_timeout_ms <= 30000
    error_message = "legacy_timeout_ms must be between 50 and 30000 (API Gateway's limits)."
  }
}

variable "authorization_type" {
  description = "Authorization of every route: AWS_IAM (SigV4-signed callers allowed execute-api:Invoke) or NONE."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Requests per second and burst for every route of the facade."
  type = object({
    rate_limit  = optional(number, 100)
    burst_limit = optional(number, 200)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1
    error_message = "throttling.rate_limit must be positive and throttling.burst_limit at least 1."
  }
}

variable "service" {
  description = "The products service: its timeout (1-29 s: the facade waits at most 30 s) and reserved concurrency (-1: unreserved)."
  type = object({
    timeout_seconds                = optional(number, 10)
    reserved_concurrent_executions = optional(number, -1)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.service.timeout_seconds >= 1 && var.service.timeout_seconds <= 29 && var.service.reserved_concurrent_executions >= -1
    error_message = "service.timeout_seconds must be 1-29 and service.reserved_concurrent_executions -1 or more."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the products table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Refuse to delete the products table."
  type        = bool
  default     = true
}
