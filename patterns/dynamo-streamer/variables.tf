variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-dev-orders)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
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
  description = "Authorization of the API's methods: AWS_IAM (SigV4-signed callers only) or NONE (a public API)."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Stage throttling of the front door (DynamoDB on-demand absorbs the rest)."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default  = { rate_limit = 500, burst_limit = 1000 }
  nullable = false
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

variable "consumer" {
  description = "The stream consumer: its timeout, batch size, retries of a failing batch before it is recorded in the on-failure queue, and the age after which a record is recorded there unprocessed."
  type = object({
    timeout_seconds            = optional(number, 30)
    batch_size                 = optional(number, 100)
    maximum_retry_attempts     = optional(number, 3)
    maximum_record_age_seconds = optional(number, 3600)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.consumer.batch_size >= 1 && var.consumer.batch_size <= 10000 && var.consumer.maximum_retry_attempts >= 0 && var.consumer.maximum_retry_attempts <= 10000
    error_message = "consumer.batch_size must be 1-10000 and consumer.maximum_retry_attempts 0-10000."
  }

  validation {
    condition     = var.consumer.maximum_record_age_seconds >= 60 && var.consumer.maximum_record_age_seconds <= 604800
    error_message = "consumer.maximum_record_age_seconds must be between 60 and 604800."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the messages and change-log tables."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the tables from deletion (terraform destroy included) until turned off."
  type        = bool
  default     = false
}
