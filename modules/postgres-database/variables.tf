variable "name" {
  description = "Identifier of the DB instance (and its subnet group)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name)) && !can(regex("--|-$", var.name))
    error_message = "name must be 1-63 lowercase letters, digits or hyphens, starting with a letter, without two consecutive hyphens or a trailing hyphen (RDS identifiers)."
  }
}

variable "database_name" {
  description = "Name of the database created in the instance."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be 1-63 lowercase letters, digits or underscores, starting with a letter."
  }
}

variable "master_username" {
  description = "The master user; its password is generated and kept by RDS in a Secrets Manager secret (output secret_arn)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,15}$", var.master_username)) && !contains(["postgres", "admin", "rdsadmin"], var.master_username)
    error_message = "master_username must be 1-16 lowercase letters, digits or underscores, starting with a letter, and not a name RDS reserves."
  }
}

variable "settings" {
  description = "Engine major version, instance class, storage, backups, Multi-AZ, Performance Insights, and an RDS Proxy in front (needs network)."
  type = object({
    engine_version       = optional(string, "16")
    instance_class       = optional(string, "db.t4g.micro")
    allocated_storage_gb = optional(number, 20)
    # Storage autoscaling's ceiling: RDS grows the storage up to it when free space runs low (0: off).
    max_allocated_storage_gb = optional(number, 0)
    backup_retention_days    = optional(number, 7)
    multi_az                 = optional(bool, false)
    performance_insights     = optional(bool, false)
    # An RDS Proxy in front of the instance (needs network): clients connect to it, and it pools the
    # connections of concurrent invocations into at most proxy_max_connections_percent of the instance's.
    proxy                         = optional(bool, false)
    proxy_max_connections_percent = optional(number, 90)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.settings.max_allocated_storage_gb == 0 || var.settings.max_allocated_storage_gb > var.settings.allocated_storage_gb
    error_message = "settings.max_allocated_storage_gb must be 0 (no storage autoscaling) or above settings.allocated_storage_gb: RDS refuses a ceiling at or below the storage it has."
  }

  validation {
    condition     = var.settings.allocated_storage_gb >= 20 && var.settings.backup_retention_days >= 1 && var.settings.backup_retention_days <= 35
    error_message = "settings.allocated_storage_gb must be at least 20 and settings.backup_retention_days 1-35."
  }

  # RDS retires minor versions within about a year (it then refuses to create them), and with
  # auto_minor_version_upgrade a pinned minor makes a later apply try to downgrade.
  validation {
    condition     = can(regex("^[0-9]+$", var.settings.engine_version))
    error_message = "settings.engine_version must be a PostgreSQL major version such as \"16\": RDS runs its current minor and upgrades it in the maintenance window."
  }

  validation {
    condition     = var.settings.proxy_max_connections_percent >= 1 && var.settings.proxy_max_connections_percent <= 100
    error_message = "settings.proxy_max_connections_percent must be 1-100."
  }
}

variable "network" {
  description = "Private subnets (in two zones or more) and security groups of the instance and of its proxy (settings.proxy needs them), for example modules/network's `attachment`; null places the instance in the default VPC's subnets and security group, where only what runs inside that VPC reaches it (a test account only)."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null
}

variable "deletion_protection" {
  description = "Protect the instance from deletion (terraform destroy included; it then keeps a final snapshot) until turned off."
  type        = bool
  default     = false
}

variable "log_retention_days" {
  description = "Days to keep the database's exported logs (postgresql and upgrade)."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for storage, the master secret and Performance Insights; null uses AWS managed keys."
  type        = string
  default     = null
}

variable "alarms" {
  description = "The library's one alarms interface: where enabled, the instance's CPU (80 % for three periods), free storage (under a tenth), connections (`connections_alarm_threshold`) and the proxy's availability alarm, notifying `actions` (SNS topic ARNs)."
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

variable "connections_alarm_threshold" {
  description = "Where alarms are enabled: the database connections that alarm. RDS sets max_connections from the instance class's memory (about 110 for db.t4g.micro, 225 for db.t4g.small); alarm well before it."
  type        = number
  default     = 80
  nullable    = false

  validation {
    condition     = var.connections_alarm_threshold >= 1
    error_message = "connections_alarm_threshold must be at least 1."
  }
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}

variable "migration" {
  description = "A function (the pattern's package and handler) that brings the schema and the database users up to date as the master user; Terraform runs it at apply whenever its code, the users or the instance change, and a failure fails the apply. null: no migration step (and no users)."
  type = object({
    package_path    = string
    handler         = string
    code_bucket     = optional(string)
    timeout_seconds = optional(number, 60)
  })
  default = null

  validation {
    condition     = var.migration == null || try(var.migration.timeout_seconds >= 1 && var.migration.timeout_seconds <= 900, false)
    error_message = "migration.timeout_seconds must be 1-900 (Lambda's limit)."
  }
}

variable "users" {
  description = "Least-privilege database users the migration creates, each with its credentials in a Secrets Manager secret of its own (output user_secret_arns) for the functions that log in as it; what each may do is the migration's GRANTs."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for user in var.users : can(regex("^[a-z][a-z0-9_]{0,62}$", user)) && !startswith(user, "rds") && !contains(["postgres", "public"], user)])
    error_message = "users must be PostgreSQL role names: 1-63 lowercase letters, digits or underscores, starting with a letter, not postgres, public or a name starting with rds (RDS reserves them)."
  }

  validation {
    condition     = length(var.users) == 0 || var.migration != null
    error_message = "users need migration: the migration function creates them."
  }

  validation {
    condition     = !contains(var.users, var.master_username)
    error_message = "users must not include master_username: functions log in as users of their own."
  }
}
