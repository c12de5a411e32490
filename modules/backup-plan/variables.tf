variable "name" {
  description = "Name of the vault, the plan and the selection (the role is `<name>-backup`)."
  type        = string

  validation {
    condition     = can(regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,49}$", var.name))
    error_message = "name must be 2-50 letters, digits, hyphens, underscores or dots (Backup's vault names), starting with a letter or digit."
  }
}

variable "resources" {
  description = "ARNs of what the plan backs up (DynamoDB tables, RDS instances, ...); `*` matches any characters, e.g. `arn:aws:dynamodb:eu-west-1:111122223333:table/sp-prod-*`."
  type        = list(string)

  validation {
    condition     = length(var.resources) > 0 && alltrue([for arn in var.resources : can(regex("^arn:aws[a-z-]*:[a-z0-9-]+:", arn))])
    error_message = "resources must name at least one ARN: AWS Backup refuses a selection with neither resources nor tags."
  }
}

variable "schedule" {
  description = "When a backup starts: a cron expression in UTC (AWS Backup's default is daily at 05:00)."
  type        = string
  default     = "cron(0 5 ? * * *)"

  validation {
    condition     = can(regex("^cron\\(.+\\)$", var.schedule))
    error_message = "schedule must be a cron(...) expression."
  }
}

variable "retention_days" {
  description = "Days each recovery point is kept (35 covers a month plus a margin)."
  type        = number
  default     = 35

  validation {
    condition     = var.retention_days >= 1
    error_message = "retention_days must be at least 1."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key the vault encrypts recovery points with (for services whose backups the vault's key encrypts); null uses AWS Backup's AWS managed key."
  type        = string
  default     = null
}

variable "deletion_protection" {
  description = "Keep the vault when it holds recovery points (destroy then fails until they are removed); off, destroy deletes them with it."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
