variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-overview)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "downstreams" {
  description = "The parts of the answer: part name -> the downstream service's URL, with {customerId} where the customer goes (each must answer JSON)."
  type        = map(string)
  nullable    = false

  validation {
    condition     = length(var.downstreams) >= 1 && alltrue([for url in values(var.downstreams) : can(regex("^https?://[^#]*\\{customerId\\}", url))])
    error_message = "downstreams must map part names to http(s) URLs containing {customerId}."
  }

  validation {
    condition     = length(setintersection(keys(var.downstreams), ["customerId", "missing", "elapsedMs"])) == 0
    error_message = "downstreams part names customerId, missing and elapsedMs are the answer's own fields."
  }
}

variable "call_timeout_ms" {
  description = "How long each downstream call may take (50-25000 ms): the answer comes after at most about this long, whatever the number of parts."
  type        = number
  default     = 1000

  validation {
    condition     = var.call_timeout_ms >= 50 && var.call_timeout_ms <= 25000
    error_message = "call_timeout_ms must be between 50 and 25000 (the API waits at most 30 s)."
  }
}

variable "authorization_type" {
  description = "Authorization of the route: AWS_IAM (SigV4-signed callers allowed execute-api:Invoke) or NONE."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Requests per second and burst for the route."
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

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency of the function; -1 leaves it unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1
    error_message = "reserved_concurrent_executions must be -1 or more."
  }
}
