environment            = "dev"
region                 = "eu-west-1"
log_retention_days     = 14
point_in_time_recovery = false
deletion_protection    = false
customer_managed_key   = false
reserved_concurrency   = -1
api_authorization_type = "AWS_IAM"
api_throttling         = { rate_limit = 20, burst_limit = 40 }
api_logging_level      = "INFO"
alarms_enabled         = false
