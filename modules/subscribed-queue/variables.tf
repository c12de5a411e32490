variable "name" {
  description = "Name of the queue; its dead-letter queue is <name>-dlq."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,70}$", var.name))
    error_message = "name must be 1-70 letters, digits, hyphens or underscores."
  }
}

variable "topic_arn" {
  description = "The SNS topic to subscribe to; only it may send to the queue."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", var.topic_arn))
    error_message = "topic_arn must be the ARN of a standard SNS topic."
  }
}

variable "filter_policy" {
  description = "Subscription filter policy as an object (for example { eventType = [\"payment\"] }); null receives everything."
  type        = any
  default     = null
}

variable "filter_policy_scope" {
  description = "What the filter policy applies to: MessageAttributes or MessageBody."
  type        = string
  default     = "MessageAttributes"

  validation {
    condition     = contains(["MessageAttributes", "MessageBody"], var.filter_policy_scope)
    error_message = "filter_policy_scope must be MessageAttributes or MessageBody."
  }
}

variable "raw_message_delivery" {
  description = "Deliver the message itself (and its attributes as SQS attributes) instead of SNS's JSON envelope."
  type        = bool
  default     = true
}

variable "visibility_timeout_seconds" {
  description = "Visibility timeout; for a Lambda consumer at least six times the function timeout."
  type        = number
  default     = 60
}

variable "message_retention_seconds" {
  description = "How long the queue keeps a message: the buffer a subscriber has while it is down."
  type        = number
  default     = 345600
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
  default     = 3
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for both queues (its policy must admit sns.amazonaws.com: modules/kms-key does); null uses SQS-managed encryption."
  type        = string
  default     = null
}

variable "alarms" {
  description = "The library's one alarms interface: the dead-letter queues always alarm when not empty, notifying `actions` (SNS topic ARNs)."
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
