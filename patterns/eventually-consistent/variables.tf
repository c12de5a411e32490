variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-overview)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
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

variable "replica" {
  description = "The relational copy (RDS PostgreSQL): engine version, instance class, storage, backups, Multi-AZ, Performance Insights, and an RDS Proxy in front."
  type = object({
    engine_version       = optional(string, "16")
    instance_class       = optional(string, "db.t4g.micro")
    allocated_storage_gb = optional(number, 20)
    # Storage autoscaling's ceiling (0: off).
    max_allocated_storage_gb = optional(number, 0)
    backup_retention_days    = optional(number, 7)
    multi_az                 = optional(bool, false)
    performance_insights     = optional(bool, false)
    # An RDS Proxy in front: pools the functions' connections.
    proxy                         = optional(bool, false)
    proxy_max_connections_percent = optional(number, 90)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.replica.allocated_storage_gb >= 20 && var.replica.backup_retention_days >= 1 && var.replica.backup_retention_days <= 35
    error_message = "replica.allocated_storage_gb must be at least 20 and replica.backup_retention_days 1-35."
  }
}

variable "replicator" {
  description = "The stream consumer copying changes: batch size, retries of a failing batch before it goes to the on-failure queue, and the age after which a record goes there unapplied."
  type = object({
    batch_size                 = optional(number, 100)
    maximum_retry_attempts     = optional(number, 3)
    maximum_record_age_seconds = optional(number, 3600)
  })
  default  = {}
  nullable = false
}

variable "network" {
  description = "Where the database (and its proxy) and the replicator live: private subnets in two zones or more and the security groups they share, for example modules/network's `attachment`. The groups must let the replicator reach the database's port (5432), and the subnets need a route to Secrets Manager (an interface endpoint, as modules/network makes, or NAT). Required: in AWS a function outside the VPC cannot reach a database that is not publicly accessible."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  nullable = false

  validation {
    condition     = length(var.network.subnet_ids) > 0 && length(var.network.security_group_ids) > 0
    error_message = "network needs at least one subnet and one security group (modules/network's attachment gives both)."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the customers table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the table and the database from deletion (terraform destroy included; the database then keeps a final snapshot) until turned off."
  type        = bool
  default     = false
}
