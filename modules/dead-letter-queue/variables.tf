variable "name" {
  description = "Name of the queue (FIFO names end in .fifo); the alarm is <name without .fifo>-not-empty."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,75}(\\.fifo)?$", var.name))
    error_message = "name must be 1-75 letters, digits, hyphens or underscores, optionally ending in .fifo."
  }
}

variable "fifo" {
  description = "A FIFO dead-letter queue (for a FIFO source queue)."
  type        = bool
  default     = false
}

variable "gave_up" {
  description = "Who put the messages there, for the alarm's description (for example \"a consumer gave up on them\")."
  type        = string
  default     = "a consumer gave up on them"
}

variable "kms_key_arn" {
  description = "Customer managed KMS key; null uses SQS-managed encryption."
  type        = string
  default     = null
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified when the queue is not empty."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "tags" {
  description = "Tags of every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
