environment = "prod"
region      = "eu-west-1"

# Every pattern (null); a team deploying one pattern alone lists it: ["simple-web-service"].
patterns = null

settings = {
  log_retention_days             = 365
  point_in_time_recovery         = true
  deletion_protection            = true
  customer_managed_key           = true
  reserved_concurrent_executions = 50
  account_concurrency_limit      = 1000 # this account's Lambda quota: plans refuse reservations it cannot hold
  api_authorization_type         = "AWS_IAM"
  api_throttling                 = { rate_limit = 500, burst_limit = 1000 }
  api_logging_level              = "ERROR"
  alarms                         = { enabled = true }
  # P07: the legacy application behind the facade (yours), and the routes moved to the new service.
  strangler = { legacy_base_url = "https://legacy-shop.example.com", migrated_routes = ["GET /products/{id}"] }
  # P06: the HTTP backend behind /partners/* (yours).
  robust_api = { partners_base_url = "https://partners.example.com" }
  # P05: the services the overview merges (yours).
  aggregator = { downstreams = { profile = "https://profiles.example.com/customers/{customerId}", orders = "https://orders.example.com/by-customer/{customerId}" }, call_timeout_ms = 800 }
  # P28: the stock service checkout asks (yours); the share of orders traced beyond the first each second.
  xray_tracer     = { stock_service_url = "https://stock.example.com/items", sampling_fixed_rate = 0.05 }
  circuit_breaker = { service_url = "https://quotes.example.com" }
  # P23, P24: the VPC of their databases, cache and the functions reaching them (a range of its own),
  # in three zones; an RDS Proxy pools the functions' connections to each database.
  network        = { cidr_block = "10.40.0.0/16", availability_zone_count = 3 }
  database_proxy = true
  # Storage that grows when it runs low, up to a ceiling; the cache's snapshots kept a week.
  database_max_storage_gb       = 100
  cache_snapshot_retention_days = 7
  # Every table and database backed up daily, each recovery point kept 35 days.
  backups = { enabled = true }
}
