variable "name" {
  description = "Name of the topic (for example acme-prod-billing-events); other resources take it as a prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "publishers" {
  description = "Who may publish: IAM principal ARNs (roles, users) and/or 12-digit account ids. Other accounts need to be listed; see deny_unlisted_publishers for this account."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for p in var.publishers : can(regex("^([0-9]{12}|arn:aws[a-z-]*:iam::[0-9]{12}:(root|role/.+|user/.+))$", p))])
    error_message = "publishers must be 12-digit account ids or IAM ARNs (arn:aws:iam::<account>:root, role/..., user/...)."
  }
}

variable "publisher_services" {
  description = "AWS service principals of this account that may publish (for example events.amazonaws.com, cloudwatch.amazonaws.com)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for s in var.publisher_services : endswith(s, ".amazonaws.com")])
    error_message = "publisher_services must be service principals ending in .amazonaws.com."
  }
}

variable "deny_unlisted_publishers" {
  description = "Explicitly deny sns:Publish to every principal not in publishers, this account's included (IAM permissions alone would let them in)."
  type        = bool
  default     = true
}

variable "subscriber_accounts" {
  description = "Other accounts that may subscribe their endpoints."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.subscriber_accounts : can(regex("^[0-9]{12}$", a))])
    error_message = "subscriber_accounts must be 12-digit account ids."
  }
}

variable "subscription_protocols" {
  description = "Protocols other accounts may subscribe with."
  type        = list(string)
  default     = ["sqs", "lambda"]

  validation {
    condition     = length(var.subscription_protocols) > 0 && alltrue([for p in var.subscription_protocols : contains(["sqs", "lambda", "https", "firehose"], p)])
    error_message = "subscription_protocols must be some of sqs, lambda, https, firehose (no plain http, email or sms)."
  }
}

variable "queue_subscribers" {
  description = "Queues of this account to create and subscribe, by name: optional filter policy (object), its scope, raw delivery."
  type = map(object({
    filter_policy        = optional(any)
    filter_policy_scope  = optional(string, "MessageAttributes")
    raw_message_delivery = optional(bool, true)
  }))
  default  = {}
  nullable = false
}

variable "queue_kms_key_arn" {
  description = "Customer managed key for the subscriber queues (its policy must admit SNS: modules/kms-key does); null uses SQS-managed encryption."
  type        = string
  default     = null
}
