variable "name" {
  description = "Alias name (without alias/) of the key."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9/_-]{1,200}$", var.name)) && !startswith(var.name, "aws/")
    error_message = "name must be letters, digits, /, _ or -, and must not start with aws/."
  }
}

variable "description" {
  description = "Description of the key; null says whose key it is."
  type        = string
  default     = null
}

variable "additional_services" {
  description = "Service principals of this account that may use the key to deliver, beyond SNS, S3, EventBridge and CloudWatch (for example scheduler.amazonaws.com)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.additional_services : endswith(s, ".amazonaws.com")])
    error_message = "additional_services must be service principals ending in .amazonaws.com."
  }
}

variable "policy_statements" {
  description = "More key policy statements (on this key): sid, actions, principals {type, identifiers} and conditions, for example other accounts using the key through one service (kms:ViaService)."
  type = list(object({
    sid     = string
    actions = list(string)
    principals = object({
      type        = string
      identifiers = list(string)
    })
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for s in var.policy_statements : contains(["AWS", "Service"], s.principals.type) && length(s.principals.identifiers) > 0])
    error_message = "policy_statements principals must be of type AWS or Service and name at least one identifier."
  }
}

variable "deletion_window_in_days" {
  description = "Days before a scheduled deletion of the key takes effect."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "tags" {
  description = "Tags of the key."
  type        = map(string)
  default     = {}
  nullable    = false
}
