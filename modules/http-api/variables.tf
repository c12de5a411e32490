variable "name" {
  description = "Name of the API; also its access log group, /aws/apigateway/<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.name))
    error_message = "name must be 1-128 letters, digits, dots, hyphens or underscores."
  }
}

variable "description" {
  description = "What the API is for, as the console shows it."
  type        = string
  default     = null
}

variable "integrations" {
  description = "What the routes call, by a key of yours. A function: type AWS_PROXY, uri its invoke ARN and function_name (the API gets its invoke permission; payload format 2.0). An HTTP backend: type HTTP_PROXY, uri its URL ({proxy} is the greedy path), method. An AWS service: type AWS_PROXY, subtype (SQS-SendMessage, EventBridge-PutEvents...), credentials_arn and request_parameters. timeout_ms: at most 30000 (the default)."
  type = map(object({
    type                    = optional(string, "AWS_PROXY")
    uri                     = optional(string)
    function_name           = optional(string)
    permission_statement_id = optional(string)
    method                  = optional(string, "ANY")
    subtype                 = optional(string)
    credentials_arn         = optional(string)
    request_parameters      = optional(map(string))
    timeout_ms              = optional(number)
  }))
  nullable = false

  validation {
    condition     = alltrue([for i in values(var.integrations) : contains(["AWS_PROXY", "HTTP_PROXY"], i.type)])
    error_message = "integrations[*].type must be AWS_PROXY (a function or an AWS service) or HTTP_PROXY."
  }

  validation {
    condition = alltrue([for i in values(var.integrations) : (
      i.subtype != null ? (i.credentials_arn != null && i.request_parameters != null && i.function_name == null) : i.uri != null
    )])
    error_message = "An AWS service integration (subtype) needs credentials_arn and request_parameters and no function_name; any other needs its uri."
  }

  validation {
    condition     = alltrue([for i in values(var.integrations) : i.timeout_ms == null ? true : i.timeout_ms >= 50 && i.timeout_ms <= 30000])
    error_message = "integrations[*].timeout_ms must be 50-30000 (HTTP APIs wait at most 30 s)."
  }
}

variable "routes" {
  description = "Route key (\"GET /orders/{id}\", \"ANY /{proxy+}\", \"$default\") to the key of the integration it calls."
  type        = map(string)
  nullable    = false

  validation {
    condition     = alltrue([for route in keys(var.routes) : route == "$default" || can(regex("^(ANY|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) /", route))])
    error_message = "routes keys must be \"METHOD /path\" (ANY, GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS) or $default."
  }

  validation {
    condition     = alltrue([for integration in values(var.routes) : contains(keys(var.integrations), integration)])
    error_message = "Every route must name one of the integrations' keys."
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

variable "alarms" {
  description = "The library's one alarms interface: where enabled, the API's 5xx answers (`errors_threshold` per `period_seconds`) alarm, notifying `actions` (SNS topic ARNs)."
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
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
