variable "environment" {
  description = "Name of the environment; every resource is prefixed sp-<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.environment))
    error_message = "environment must be 2-12 lowercase letters or digits, starting with a letter."
  }
}

variable "patterns" {
  description = "The patterns this environment deploys, by module name (for example [\"simple-web-service\"]); null deploys all of them."
  type        = set(string)
  default     = null

  validation {
    condition     = length(setsubtract(var.patterns == null ? toset([]) : var.patterns, local.patterns)) == 0
    error_message = "patterns must name modules of this library: ${join(", ", local.patterns)}."
  }
}

variable "settings" {
  description = "What differs between environments: retention, backups, protection, keys, concurrency, API access, alarms."
  type = object({
    log_retention_days             = number
    point_in_time_recovery         = bool
    deletion_protection            = bool
    customer_managed_key           = bool
    reserved_concurrent_executions = number
    # The account's Lambda concurrency quota in this region (AWS's default is 1000; new accounts may have
    # less). Lambda refuses a reservation that leaves fewer than 100 unreserved: plans check it.
    account_concurrency_limit = optional(number, 1000)
    api_authorization_type    = string
    api_throttling = object({
      rate_limit  = number
      burst_limit = number
    })
    api_logging_level = string
    # API Gateway's CloudWatch role is one setting per account and region: exactly one environment
    # of an account owns it (two would overwrite each other, and destroying one breaks the other's logs).
    manage_api_gateway_account = optional(bool, true)
    # The legacy application the strangler facade (P07) stands in front of, and the routes already
    # migrated to the new service; required when the strangler is deployed.
    strangler = optional(object({
      legacy_base_url = string
      migrated_routes = optional(list(string), [])
    }))
    # How long Firehose gathers P25's readings before its transform and before each archive object:
    # longer means fewer, larger objects (cheaper to store and query), shorter means fresher data.
    streamer = optional(object({
      buffering_interval_seconds        = optional(number, 300)
      transform_buffer_interval_seconds = optional(number, 60)
    }), {})
    # P26's tumbling windows (the aggregates of a window are kept when it ends) and how long Firehose gathers
    # the readings before its check and before each archive object.
    stream_analytics = optional(object({
      window_seconds             = optional(number, 60)
      buffering_interval_seconds = optional(number, 300)
      check_interval_seconds     = optional(number, 60)
    }), {})
    # The HTTP backend behind the robust API's /partners/* routes (P06); required where it is deployed.
    robust_api = optional(object({
      partners_base_url = string
    }))
    # The downstream services the aggregator (P05) merges (part -> URL with {customerId}); required where
    # it is deployed.
    aggregator = optional(object({
      downstreams     = map(string)
      call_timeout_ms = optional(number, 1000)
    }))
    # The stock service P28's checkout asks before it accepts an order (yours; required where P28 is
    # deployed), and the share of the orders API's requests X-Ray traces: the first each second
    # (reservoir) and a fixed rate of the rest.
    xray_tracer = optional(object({
      stock_service_url             = string
      stock_timeout_ms              = optional(number, 2000)
      sampling_fixed_rate           = optional(number, 0.05)
      sampling_reservoir_per_second = optional(number, 1)
    }))
    # The unreliable service the circuit breakers (P21, P22) guard; required where either is deployed.
    circuit_breaker = optional(object({
      service_url = string
    }))
    # The PostgreSQL major version of P23's and P24's databases: RDS runs its current minor.
    postgres_major_version = optional(string, "16")
    # The VPC of P23's and P24's databases, proxies, cache and the functions that reach them
    # (modules/network, network.tf): its range (one of its own per environment), zones, a NAT gateway,
    # the interface endpoints of the AWS APIs those functions call, or a VPC of yours (existing_vpc:
    # vpc_id and private subnet_ids in two zones or more), in which only the groups and endpoints are made.
    network = optional(object({
      cidr_block              = optional(string, "10.0.0.0/16")
      availability_zone_count = optional(number, 2)
      nat_gateway             = optional(bool, false)
      # P23's replicator and P24's reader and writer read the database's secret: Secrets Manager. (P24's
      # reader also calls DynamoDB, through a gateway endpoint: network.tf.)
      interface_endpoints = optional(set(string), ["secretsmanager"])
      existing_vpc = optional(object({
        vpc_id     = string
        subnet_ids = list(string)
      }))
    }), {})
    # Storage autoscaling of P23's and P24's databases: RDS grows their storage up to this ceiling when
    # free space runs low (0: off, the storage stays at its allocation).
    database_max_storage_gb = optional(number, 0)
    # Daily snapshots of P24's cache kept this many days (0: none; the cache is rebuilt from the database,
    # a snapshot shortens a cold start after a failure).
    cache_snapshot_retention_days = optional(number, 0)
    # AWS Backup of the environment's tables and databases (backup.tf, modules/backup-plan): a vault on the
    # environment's key and a plan backing up every table and DB instance of the environment on a schedule
    # (cron, UTC), each recovery point kept retention_days.
    backups = optional(object({
      enabled        = optional(bool, false)
      schedule       = optional(string, "cron(0 5 ? * * *)")
      retention_days = optional(number, 35)
    }), {})
    # An RDS Proxy in front of P23's and P24's databases: it pools the connections of concurrent
    # invocations (clients then connect through it, with TLS checked against its certificate).
    database_proxy = optional(bool, false)
    # Who the on-call topic reaches when alarms are enabled (on_call.tf): email addresses (each confirms
    # its subscription) and HTTPS endpoints of a chat or paging service.
    on_call = optional(object({
      emails          = optional(list(string), [])
      https_endpoints = optional(list(string), [])
    }), {})
    # The library's one alarms interface (patterns/*/variables.tf and modules/*/variables.tf `alarms`);
    # where enabled, every alarm also notifies the environment's on-call topic (on_call.tf).
    alarms = object({
      enabled          = bool
      actions          = optional(list(string), [])
      errors_threshold = optional(number, 1)
      period_seconds   = optional(number, 300)
    })
  })
  nullable = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.settings.log_retention_days)
    error_message = "settings.log_retention_days must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, ..., 3653)."
  }

  validation {
    condition     = var.settings.reserved_concurrent_executions == -1 || var.settings.reserved_concurrent_executions >= 0
    error_message = "settings.reserved_concurrent_executions must be -1 (unreserved) or a non-negative number."
  }

  validation {
    condition     = var.settings.account_concurrency_limit >= 1
    error_message = "settings.account_concurrency_limit must be the account's Lambda concurrency quota (1 or more)."
  }

  validation {
    condition     = contains(["AWS_IAM", "NONE"], var.settings.api_authorization_type)
    error_message = "settings.api_authorization_type must be AWS_IAM or NONE."
  }

  validation {
    condition     = contains(["OFF", "ERROR", "INFO"], var.settings.api_logging_level)
    error_message = "settings.api_logging_level must be OFF, ERROR or INFO."
  }

  validation {
    condition     = var.settings.strangler != null || (var.patterns != null && !contains(coalesce(var.patterns, toset([])), "strangler"))
    error_message = "settings.strangler (legacy_base_url, migrated_routes) is required where the strangler pattern is deployed (patterns null or naming it)."
  }

  validation {
    condition     = var.settings.robust_api != null || (var.patterns != null && !contains(coalesce(var.patterns, toset([])), "robust-api"))
    error_message = "settings.robust_api (partners_base_url) is required where the robust-api pattern is deployed (patterns null or naming it)."
  }

  validation {
    condition     = var.settings.aggregator != null || (var.patterns != null && !contains(coalesce(var.patterns, toset([])), "aggregator"))
    error_message = "settings.aggregator (downstreams) is required where the aggregator pattern is deployed (patterns null or naming it)."
  }

  validation {
    condition     = var.settings.xray_tracer != null || (var.patterns != null && !contains(coalesce(var.patterns, toset([])), "xray-tracer"))
    error_message = "settings.xray_tracer (stock_service_url) is required where the xray-tracer pattern is deployed (patterns null or naming it)."
  }

  validation {
    condition     = var.settings.circuit_breaker != null || (var.patterns != null && length(setintersection(coalesce(var.patterns, toset([])), toset(["circuit-breaker", "eventbridge-circuit-breaker"]))) == 0)
    error_message = "settings.circuit_breaker (service_url) is required where the circuit-breaker or eventbridge-circuit-breaker pattern is deployed (patterns null or naming one)."
  }

  validation {
    condition     = alltrue([for url in var.settings.on_call.https_endpoints : startswith(url, "https://")]) && alltrue([for email in var.settings.on_call.emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "settings.on_call.https_endpoints must be https:// URLs and settings.on_call.emails email addresses."
  }

  validation {
    condition     = alltrue([for arn in var.settings.alarms.actions : can(regex("^arn:aws[a-z-]*:sns:", arn))])
    error_message = "settings.alarms.actions must be SNS topic ARNs."
  }
}

variable "lambda_build_dir" {
  description = "Folder of the zips `make build` writes, relative to the environment folder; null means this repository's build/lambdas."
  type        = string
  default     = null
}
