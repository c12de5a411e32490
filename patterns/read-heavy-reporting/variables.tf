variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-reports); also the cache's and the database's name."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,39}$", var.name)) && !can(regex("--|-$", var.name))
    error_message = "name must be 2-40 lowercase letters, digits or hyphens, starting with a letter, without two consecutive hyphens or a trailing hyphen (the cache's and the database's naming rules)."
  }
}

variable "authorization_type" {
  description = "Authorization of the routes: AWS_IAM (SigV4-signed callers allowed execute-api:Invoke) or NONE."
  type        = string
  default     = "AWS_IAM"

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.authorization_type)
    error_message = "authorization_type must be AWS_IAM or NONE."
  }
}

variable "throttling" {
  description = "Requests per second and burst for the routes."
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

variable "cache" {
  description = "The cache (ElastiCache Serverless): engine (valkey or redis) and major version, how long an entry lives (the bound on staleness when an invalidation fails), usage limits, and snapshots (0: none, the cache is rebuilt from the database)."
  type = object({
    engine                   = optional(string, "valkey")
    major_engine_version     = optional(string, "8")
    ttl_seconds              = optional(number, 300)
    max_data_storage_gb      = optional(number, 10)
    max_ecpu_per_second      = optional(number, 5000)
    snapshot_retention_limit = optional(number, 0)
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["valkey", "redis"], var.cache.engine) && var.cache.ttl_seconds >= 1 && var.cache.ttl_seconds <= 86400
    error_message = "cache.engine must be valkey or redis and cache.ttl_seconds 1-86400."
  }

  validation {
    condition     = var.cache.max_data_storage_gb >= 1 && var.cache.max_data_storage_gb <= 5000 && var.cache.max_ecpu_per_second >= 1000 && var.cache.max_ecpu_per_second <= 15000000 && var.cache.snapshot_retention_limit >= 0 && var.cache.snapshot_retention_limit <= 35
    error_message = "cache.max_data_storage_gb must be 1-5000, cache.max_ecpu_per_second 1000-15000000 and cache.snapshot_retention_limit 0-35."
  }
}

variable "database" {
  description = "The articles' database (RDS PostgreSQL), the source of truth: engine version, instance class, storage, backups, Multi-AZ, Performance Insights, and an RDS Proxy in front."
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
    condition     = var.database.allocated_storage_gb >= 20 && var.database.backup_retention_days >= 1 && var.database.backup_retention_days <= 35
    error_message = "database.allocated_storage_gb must be at least 20 and database.backup_retention_days 1-35."
  }
}

variable "database_statement_timeout_ms" {
  description = "How long a query may take before the API answers 503 instead of waiting on a slow or locked database."
  type        = number
  default     = 3000

  validation {
    condition     = var.database_statement_timeout_ms >= 100 && var.database_statement_timeout_ms <= 8000
    error_message = "database_statement_timeout_ms must be 100-8000 (below the functions' 10 s timeout)."
  }
}

variable "top_n" {
  description = "How many articles the most-viewed board keeps."
  type        = number
  default     = 10

  validation {
    condition     = var.top_n >= 1 && var.top_n <= 1000
    error_message = "top_n must be 1-1000 (the board is one DynamoDB item)."
  }
}

variable "ranker" {
  description = "The stream consumer keeping the board: batch size, retries of a failing batch before it goes to the on-failure queue, and the age after which a record goes there unranked."
  type = object({
    batch_size                 = optional(number, 100)
    maximum_retry_attempts     = optional(number, 3)
    maximum_record_age_seconds = optional(number, 3600)
  })
  default  = {}
  nullable = false
}

variable "network" {
  description = "Where the database (and its proxy), the cache, the reader and the writer live: private subnets in two zones or more and the security groups they share, for example modules/network's `attachment`. The groups must let the functions reach the database's and the cache's ports (5432, 6379), and the subnets need routes to Secrets Manager and DynamoDB (endpoints, as modules/network makes, or NAT). Required: in AWS a function outside the VPC cannot reach a database that is not publicly accessible."
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
  description = "Continuous backups of the view counters and the board."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the tables and the database from deletion (terraform destroy included; the database then keeps a final snapshot) until turned off."
  type        = bool
  default     = false
}
