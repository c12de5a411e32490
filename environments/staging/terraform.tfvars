environment = "staging"
region      = "eu-west-1"

# Every pattern (null); a team deploying one pattern alone lists it: ["simple-web-service"].
patterns = null

settings = {
  log_retention_days             = 30
  point_in_time_recovery         = true
  deletion_protection            = false
  customer_managed_key           = false
  reserved_concurrent_executions = -1
  api_authorization_type         = "AWS_IAM"
  api_throttling                 = { rate_limit = 50, burst_limit = 100 }
  api_logging_level              = "ERROR"
  alarms                         = { enabled = true }
  # P07: the legacy application behind the facade (yours), and the routes moved to the new service.
  strangler = { legacy_base_url = "https://legacy-shop.staging.example.com", migrated_routes = ["GET /products/{id}"] }
  # P06: the HTTP backend behind /partners/* (yours).
  robust_api = { partners_base_url = "https://partners.staging.example.com" }
  # P05: the services the overview merges (yours).
  aggregator = { downstreams = { profile = "https://profiles.staging.example.com/customers/{customerId}", orders = "https://orders.staging.example.com/by-customer/{customerId}" } }
  # P28: the stock service checkout asks (yours); the share of orders traced beyond the first each second.
  xray_tracer     = { stock_service_url = "https://stock.staging.example.com/items", sampling_fixed_rate = 0.2 }
  circuit_breaker = { service_url = "https://quotes.staging.example.com" }
  # P23, P24: the VPC of their databases, cache and the functions reaching them (a range of its own).
  network = { cidr_block = "10.30.0.0/16" }
}
