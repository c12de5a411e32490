# The local cloud (make up): cheap, short-lived, public.
environment = "local"
region      = "us-east-1"

# Every pattern (null); a team deploying one pattern alone lists it: ["simple-web-service"].
patterns = null

settings = {
  log_retention_days             = 1
  point_in_time_recovery         = false
  deletion_protection            = false
  customer_managed_key           = false
  reserved_concurrent_executions = -1
  api_authorization_type         = "NONE"
  api_throttling                 = { rate_limit = 50, burst_limit = 100 }
  api_logging_level              = "INFO"
  alarms                         = { enabled = false }
  # P07: the legacy application behind the facade (yours), and the routes moved to the new service.
  strangler = { legacy_base_url = "http://127.0.0.1:8089/shop", migrated_routes = ["GET /products/{id}", "POST /products"] }
  # P25: readings reach the archive within seconds, for a person watching.
  streamer = { buffering_interval_seconds = 5, transform_buffer_interval_seconds = 0 }
  # P26: windows of 5 seconds and the archive within seconds, for a person watching.
  stream_analytics = { window_seconds = 5, buffering_interval_seconds = 5, check_interval_seconds = 0 }
  # P06: the HTTP backend behind /partners/* (yours).
  robust_api = { partners_base_url = "http://127.0.0.1:8089/partners" }
  # P05: the services the overview merges (yours).
  aggregator = {
    # Stand-ins on loopback: the local cloud's health endpoint (make up's port 4566) answers JSON;
    # "unreachable" is a closed port, named as missing in every overview.
    downstreams = {
      status      = "http://127.0.0.1:4566/_localcloud/health?customer={customerId}"
      unreachable = "http://127.0.0.1:9/customers/{customerId}"
    }
    call_timeout_ms = 500
  }
  # P28: the stock service checkout asks (yours); here the local cloud's health endpoint stands in,
  # and every order is traced.
  xray_tracer = { stock_service_url = "http://127.0.0.1:4566/_localcloud/health", sampling_fixed_rate = 1 }
  # P21: the service the breaker guards (yours); here the local cloud's own endpoint stands in.
  circuit_breaker = { service_url = "http://127.0.0.1:4566/_localcloud" }
  # P23, P24: the VPC of their databases, cache and the functions reaching them (a range of its own).
  network = { cidr_block = "10.10.0.0/16" }
}
