# `make rehearse ENV=dev`: this environment's terraform.tfvars applied to the local cloud and driven.
# Only what cannot exist there is replaced, each merged into the setting it names: the URLs of your own
# services, pointed at stand-ins on loopback. 127.0.0.1:4566 is the local cloud itself (the rehearsal
# writes in the port it runs on; its health endpoint answers JSON); port 9 is closed.
settings_overrides = {
  strangler  = { legacy_base_url = "http://127.0.0.1:9/shop" }
  robust_api = { partners_base_url = "http://127.0.0.1:9/partners" }
  aggregator = {
    downstreams = {
      status      = "http://127.0.0.1:4566/_localcloud/health?customer={customerId}"
      unreachable = "http://127.0.0.1:9/customers/{customerId}"
    }
  }
  circuit_breaker = { service_url = "http://127.0.0.1:4566/_localcloud" }
  xray_tracer     = { stock_service_url = "http://127.0.0.1:4566/_localcloud/health" }
}
