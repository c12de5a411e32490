environment = "dev"
region      = "eu-west-1"

# Every pattern (null); a team deploying one pattern alone lists it: ["simple-web-service"].
patterns = null

settings = {
  log_retention_days             = 14
  point_in_time_recovery         = false
  deletion_protection            = false
  customer_managed_key           = false
  reserved_concurrent_executions = -1
  api_authorization_type         = "AWS_IAM"
  api_throttling                 = { rate_limit = 20, burst_limit = 40 }
  api_logging_level              = "INFO"
  alarms                         = { enabled = false }
  # P07: the legacy application behind the facade (yours), and the routes moved to the new service.
  strangler = { legacy_base_url = "https://legacy-shop.dev.example.com", migrated_routes = ["GET /products/{id}", "POST /products"] }
  # P06: the HTTP backend behind /partners/* (yours).
  robust_api = { partners_base_url = "https://partners.dev.example.com" }
  # P05: the services the overview merges (yours).
  aggregator = { downstreams = { profile = "https://profiles.dev.example.com/customers/{customerId}", orders = "https://orders.dev.example.com/by-customer/{customerId}" } }
  # P28: the stock service checkout asks (yours); the share of orders traced beyond the first each second.
  xray_tracer     = { stock_service_url = "https://stock.dev.example.com/items", sampling_fixed_rate = 1 }
  circuit_breaker = { service_url = "https://quotes.dev.example.com" }
  # P23, P24: the VPC of their databases, cache and the functions reaching them (a range of its own).
  network = { cidr_block = "10.20.0.0/16" }
}
