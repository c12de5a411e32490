# Every pattern of the library, composed once: each environment root calls this
# module with its own settings and the set of patterns it deploys. The list of
# patterns (local.patterns) is generated from their facts into patterns.tf.
data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  selected = var.patterns == null ? toset(local.patterns) : var.patterns
  enabled  = { for pattern in local.patterns : pattern => contains(local.selected, pattern) }

  prefix           = "sp-${var.environment}"
  lambda_build_dir = coalesce(var.lambda_build_dir, "../../build/lambdas")
  kms_key_arn      = var.settings.customer_managed_key ? module.kms_key[0].key_arn : null
  # API Gateway logs to CloudWatch through one role per account and region.
  serves_rest_apis  = anytrue([for pattern in local.rest_api_patterns : local.enabled[pattern]])
  deploys_functions = anytrue([for pattern in local.function_patterns : local.enabled[pattern]])
  code_bucket       = local.deploys_functions ? module.code_bucket[0].bucket_name : null
}

module "kms_key" {
  source = "../../modules/kms-key"
  count  = var.settings.customer_managed_key ? 1 : 0

  name = local.prefix
  # P29's and P31's distributions read their encrypted sites as CloudFront, through origin access control,
  # which AWS documents with aws:SourceArn (each bucket policy names its one distribution).
  policy_statements = local.enabled["spa"] || local.enabled["single-domain-frontend-backend"] ? [{
    sid        = "CloudFrontReadsThisAccountsSites"
    actions    = ["kms:Decrypt"]
    principals = { type = "Service", identifiers = ["cloudfront.amazonaws.com"] }
    conditions = [{
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:cloudfront::${data.aws_caller_identity.current.account_id}:distribution/*"]
    }]
  }] : []
}

# Every function's code is uploaded here and the functions created from it: the AWS provider creates
# functions from S3 in parallel, while it uploads local zips one function at a time.
module "code_bucket" {
  source = "../../modules/bucket"
  count  = local.deploys_functions ? 1 : 0

  name          = "${local.prefix}-lambda-code-${data.aws_caller_identity.current.account_id}-${data.aws_region.current.name}"
  kms_key_arn   = local.kms_key_arn
  force_destroy = !var.settings.deletion_protection
}

module "api_gateway_account" {
  source = "../../modules/api-gateway-account"
  count  = local.serves_rest_apis && var.settings.manage_api_gateway_account ? 1 : 0

  name = local.prefix
}

locals {
  # Reserved concurrency is taken from the account's pool: the functions that take the setting reserve it each.
  reserved_concurrency = var.settings.reserved_concurrent_executions < 0 ? 0 : (
    var.settings.reserved_concurrent_executions * (
      length(try(module.simple_web_service[0].function_names, {})) + length(module.xray_tracer) # P28's checkout
    )
  )
}

module "simple_web_service" {
  source = "../../patterns/simple-web-service"
  count  = local.enabled["simple-web-service"] ? 1 : 0

  name                           = "${local.prefix}-items"
  package_path                   = "${local.lambda_build_dir}/simple-web-service.zip"
  code_bucket                    = local.code_bucket
  authorization_type             = var.settings.api_authorization_type
  throttling                     = var.settings.api_throttling
  logging_level                  = var.settings.api_logging_level
  point_in_time_recovery         = var.settings.point_in_time_recovery
  deletion_protection            = var.settings.deletion_protection
  kms_key_arn                    = local.kms_key_arn
  reserved_concurrent_executions = var.settings.reserved_concurrent_executions
  log_retention_days             = var.settings.log_retention_days
  alarms                         = local.alarms

  depends_on = [module.api_gateway_account]
}

module "queue_based_load_leveling" {
  source = "../../patterns/queue-based-load-leveling"
  count  = local.enabled["queue-based-load-leveling"] ? 1 : 0

  name                   = "${local.prefix}-orders"
  package_path           = "${local.lambda_build_dir}/queue-based-load-leveling.zip"
  code_bucket            = local.code_bucket
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  logging_level          = var.settings.api_logging_level
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms

  depends_on = [module.api_gateway_account]
}

module "dynamo_streamer" {
  source = "../../patterns/dynamo-streamer"
  count  = local.enabled["dynamo-streamer"] ? 1 : 0

  name                   = "${local.prefix}-feed"
  package_path           = "${local.lambda_build_dir}/dynamo-streamer.zip"
  code_bucket            = local.code_bucket
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  logging_level          = var.settings.api_logging_level
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms

  depends_on = [module.api_gateway_account]
}

module "streamer" {
  source = "../../patterns/streamer"
  count  = local.enabled["streamer"] ? 1 : 0

  name                = "${local.prefix}-readings-${data.aws_caller_identity.current.account_id}"
  package_path        = "${local.lambda_build_dir}/streamer.zip"
  code_bucket         = local.code_bucket
  authorization_type  = var.settings.api_authorization_type
  throttling          = var.settings.api_throttling
  logging_level       = var.settings.api_logging_level
  buffering           = { interval_seconds = var.settings.streamer.buffering_interval_seconds }
  transform           = { buffer_interval_seconds = var.settings.streamer.transform_buffer_interval_seconds }
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms

  depends_on = [module.api_gateway_account]
}

module "stream_analytics" {
  source = "../../patterns/stream-analytics"
  count  = local.enabled["stream-analytics"] ? 1 : 0

  name           = "${local.prefix}-metrics-${data.aws_caller_identity.current.account_id}"
  package_path   = "${local.lambda_build_dir}/stream-analytics.zip"
  code_bucket    = local.code_bucket
  window_seconds = var.settings.stream_analytics.window_seconds
  buffering = {
    interval_seconds       = var.settings.stream_analytics.buffering_interval_seconds
    check_interval_seconds = var.settings.stream_analytics.check_interval_seconds
  }
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "data_lake_reporting" {
  source = "../../patterns/data-lake-reporting"
  count  = local.enabled["data-lake-reporting"] ? 1 : 0

  name                = "${local.prefix}-sales-${data.aws_caller_identity.current.account_id}"
  package_path        = "${local.lambda_build_dir}/data-lake-reporting.zip"
  code_bucket         = local.code_bucket
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms
}

module "gatekeeper" {
  source = "../../patterns/gatekeeper"
  count  = local.enabled["gatekeeper"] ? 1 : 0

  name                   = "${local.prefix}-gate"
  package_path           = "${local.lambda_build_dir}/gatekeeper.zip"
  code_bucket            = local.code_bucket
  throttling             = var.settings.api_throttling
  logging_level          = var.settings.api_logging_level
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms

  depends_on = [module.api_gateway_account]
}

module "state_machine" {
  source = "../../patterns/state-machine"
  count  = local.enabled["state-machine"] ? 1 : 0

  name                   = "${local.prefix}-flow"
  package_path           = "${local.lambda_build_dir}/state-machine.zip"
  code_bucket            = local.code_bucket
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "saga" {
  source = "../../patterns/saga"
  count  = local.enabled["saga"] ? 1 : 0

  name                   = "${local.prefix}-trips"
  package_path           = "${local.lambda_build_dir}/saga.zip"
  code_bucket            = local.code_bucket
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "circuit_breaker" {
  source = "../../patterns/circuit-breaker"
  count  = local.enabled["circuit-breaker"] ? 1 : 0

  name                   = "${local.prefix}-quotes"
  package_path           = "${local.lambda_build_dir}/circuit-breaker.zip"
  code_bucket            = local.code_bucket
  service_url            = var.settings.circuit_breaker.service_url
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "eventbridge_circuit_breaker" {
  source = "../../patterns/eventbridge-circuit-breaker"
  count  = local.enabled["eventbridge-circuit-breaker"] ? 1 : 0

  name                = "${local.prefix}-rates"
  package_path        = "${local.lambda_build_dir}/eventbridge-circuit-breaker.zip"
  code_bucket         = local.code_bucket
  service_url         = var.settings.circuit_breaker.service_url
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms
}

module "eventually_consistent" {
  source = "../../patterns/eventually-consistent"
  count  = local.enabled["eventually-consistent"] ? 1 : 0

  name                   = "${local.prefix}-customers"
  package_path           = "${local.lambda_build_dir}/eventually-consistent.zip"
  code_bucket            = local.code_bucket
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  network                = module.network[0].attachment
  replica                = { multi_az = var.settings.deletion_protection, engine_version = var.settings.postgres_major_version, proxy = var.settings.database_proxy, max_allocated_storage_gb = var.settings.database_max_storage_gb }
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "read_heavy_reporting" {
  source = "../../patterns/read-heavy-reporting"
  count  = local.enabled["read-heavy-reporting"] ? 1 : 0

  name                   = "${local.prefix}-reports"
  package_path           = "${local.lambda_build_dir}/read-heavy-reporting.zip"
  code_bucket            = local.code_bucket
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  network                = module.network[0].attachment
  database               = { multi_az = var.settings.deletion_protection, engine_version = var.settings.postgres_major_version, proxy = var.settings.database_proxy, max_allocated_storage_gb = var.settings.database_max_storage_gb }
  cache                  = { snapshot_retention_limit = var.settings.cache_snapshot_retention_days }
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "fifoer" {
  source = "../../patterns/fifoer"
  count  = local.enabled["fifoer"] ? 1 : 0

  name                   = "${local.prefix}-ledger"
  package_path           = "${local.lambda_build_dir}/fifoer.zip"
  code_bucket            = local.code_bucket
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "big_fan" {
  source = "../../patterns/big-fan"
  count  = local.enabled["big-fan"] ? 1 : 0

  name         = "${local.prefix}-fan"
  package_path = "${local.lambda_build_dir}/big-fan.zip"
  code_bucket  = local.code_bucket
  subscribers = {
    payments = { event_types = ["payment"] }
    refunds  = { event_types = ["refund"] }
    audit    = { event_types = ["payment", "refund"] }
  }
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  logging_level          = var.settings.api_logging_level
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms

  depends_on = [module.api_gateway_account]
}

module "distributed_trigger" {
  source = "../../patterns/distributed-trigger"
  count  = local.enabled["distributed-trigger"] ? 1 : 0

  name          = "${local.prefix}-order-events"
  package_path  = "${local.lambda_build_dir}/distributed-trigger.zip"
  code_bucket   = local.code_bucket
  service_name  = "orders"
  event_pattern = { source = ["serverless-patterns.orders"], "detail-type" = ["OrderPlaced", "OrderCancelled"] }
  subscribers = {
    billing   = { event_types = ["OrderPlaced"] }
    shipping  = { event_types = ["OrderPlaced", "OrderCancelled"] }
    analytics = {}
  }
  kms_key_arn        = local.kms_key_arn
  log_retention_days = var.settings.log_retention_days
  alarms             = local.alarms
}

module "notifier" {
  source = "../../patterns/notifier"
  count  = local.enabled["notifier"] ? 1 : 0

  name               = "${local.prefix}-billing-events"
  publishers         = [data.aws_caller_identity.current.account_id]
  publisher_services = ["events.amazonaws.com"]
  queue_subscribers = {
    ledger = {}
    audit  = { raw_message_delivery = false }
  }
  queue_kms_key_arn = local.kms_key_arn
  alarms            = local.alarms
}

module "pub_sub" {
  source = "../../patterns/pub-sub"
  count  = local.enabled["pub-sub"] ? 1 : 0

  # Bucket names are global: the account id keeps them this account's.
  name                = "${local.prefix}-docs-${data.aws_caller_identity.current.account_id}"
  package_path        = "${local.lambda_build_dir}/pub-sub.zip"
  code_bucket         = local.code_bucket
  upload_prefix       = "in/"
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms
}

module "internal_handoff" {
  source = "../../patterns/internal-handoff"
  count  = local.enabled["internal-handoff"] ? 1 : 0

  name                   = "${local.prefix}-handoff"
  package_path           = "${local.lambda_build_dir}/internal-handoff.zip"
  code_bucket            = local.code_bucket
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "internal_api" {
  source = "../../patterns/internal-api"
  count  = local.enabled["internal-api"] ? 1 : 0

  name                   = "${local.prefix}-shop"
  package_path           = "${local.lambda_build_dir}/internal-api.zip"
  code_bucket            = local.code_bucket
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "router" {
  source = "../../patterns/router"
  count  = local.enabled["router"] ? 1 : 0

  name         = "${local.prefix}-notify"
  package_path = "${local.lambda_build_dir}/router.zip"
  code_bucket  = local.code_bucket
  tasks = {
    email = {}
    sms   = {}
    push  = {}
  }
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "event_driven_processing" {
  source = "../../patterns/event-driven-processing"
  count  = local.enabled["event-driven-processing"] ? 1 : 0

  name                = "${local.prefix}-sales-${data.aws_caller_identity.current.account_id}"
  package_path        = "${local.lambda_build_dir}/event-driven-processing.zip"
  code_bucket         = local.code_bucket
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms
}

module "fan_out_fan_in" {
  source = "../../patterns/fan-out-fan-in"
  count  = local.enabled["fan-out-fan-in"] ? 1 : 0

  name                   = "${local.prefix}-wordcount-${data.aws_caller_identity.current.account_id}"
  package_path           = "${local.lambda_build_dir}/fan-out-fan-in.zip"
  code_bucket            = local.code_bucket
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "map_reduce" {
  source = "../../patterns/map-reduce"
  count  = local.enabled["map-reduce"] ? 1 : 0

  name                = "${local.prefix}-corpus-${data.aws_caller_identity.current.account_id}"
  package_path        = "${local.lambda_build_dir}/map-reduce.zip"
  code_bucket         = local.code_bucket
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms
}

module "strangler" {
  source = "../../patterns/strangler"
  count  = local.enabled["strangler"] ? 1 : 0

  name                   = "${local.prefix}-facade"
  package_path           = "${local.lambda_build_dir}/strangler.zip"
  code_bucket            = local.code_bucket
  legacy_base_url        = var.settings.strangler.legacy_base_url
  migrated_routes        = var.settings.strangler.migrated_routes
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "robust_api" {
  source = "../../patterns/robust-api"
  count  = local.enabled["robust-api"] ? 1 : 0

  name                   = "${local.prefix}-gateway"
  package_path           = "${local.lambda_build_dir}/robust-api.zip"
  code_bucket            = local.code_bucket
  partners_base_url      = var.settings.robust_api.partners_base_url
  authorization_type     = var.settings.api_authorization_type
  throttling             = var.settings.api_throttling
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}

module "aggregator" {
  source = "../../patterns/aggregator"
  count  = local.enabled["aggregator"] ? 1 : 0

  name               = "${local.prefix}-overview"
  package_path       = "${local.lambda_build_dir}/aggregator.zip"
  code_bucket        = local.code_bucket
  downstreams        = var.settings.aggregator.downstreams
  call_timeout_ms    = var.settings.aggregator.call_timeout_ms
  authorization_type = var.settings.api_authorization_type
  throttling         = var.settings.api_throttling
  kms_key_arn        = local.kms_key_arn
  log_retention_days = var.settings.log_retention_days
  alarms             = local.alarms
}

module "xray_tracer" {
  source = "../../patterns/xray-tracer"
  count  = local.enabled["xray-tracer"] ? 1 : 0

  name         = "${local.prefix}-checkout"
  package_path = "${local.lambda_build_dir}/xray-tracer.zip"
  code_bucket  = local.code_bucket
  stock_service = {
    url        = var.settings.xray_tracer.stock_service_url
    timeout_ms = var.settings.xray_tracer.stock_timeout_ms
  }
  sampling = {
    fixed_rate           = var.settings.xray_tracer.sampling_fixed_rate
    reservoir_per_second = var.settings.xray_tracer.sampling_reservoir_per_second
  }
  authorization_type             = var.settings.api_authorization_type
  throttling                     = var.settings.api_throttling
  logging_level                  = var.settings.api_logging_level
  reserved_concurrent_executions = var.settings.reserved_concurrent_executions
  point_in_time_recovery         = var.settings.point_in_time_recovery
  deletion_protection            = var.settings.deletion_protection
  kms_key_arn                    = local.kms_key_arn
  log_retention_days             = var.settings.log_retention_days
  alarms                         = local.alarms

  depends_on = [module.api_gateway_account]
}

# No backend for the app here: P01's API gives a browser neither CORS nor a credential it can carry (AWS_IAM
# outside local). Serve an API behind the same distribution, or behind Cognito, and pass its URL as api_url.
module "spa" {
  source = "../../patterns/spa"
  count  = local.enabled["spa"] ? 1 : 0

  name                = "${local.prefix}-spa-${data.aws_caller_identity.current.account_id}"
  package_path        = "${local.lambda_build_dir}/spa.zip"
  code_bucket         = local.code_bucket
  deletion_protection = var.settings.deletion_protection
  kms_key_arn         = local.kms_key_arn
  log_retention_days  = var.settings.log_retention_days
  alarms              = local.alarms
}

module "regional_api_edge" {
  source = "../../patterns/regional-api-edge"
  count  = local.enabled["regional-api-edge"] ? 1 : 0

  name                   = "${local.prefix}-products"
  package_path           = "${local.lambda_build_dir}/regional-api-edge.zip"
  code_bucket            = local.code_bucket
  throttling             = var.settings.api_throttling
  logging_level          = var.settings.api_logging_level
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms

  depends_on = [module.api_gateway_account]
}

module "single_domain_frontend_backend" {
  source = "../../patterns/single-domain-frontend-backend"
  count  = local.enabled["single-domain-frontend-backend"] ? 1 : 0

  name                   = "${local.prefix}-board-${data.aws_caller_identity.current.account_id}"
  package_path           = "${local.lambda_build_dir}/single-domain-frontend-backend.zip"
  code_bucket            = local.code_bucket
  throttling             = var.settings.api_throttling
  point_in_time_recovery = var.settings.point_in_time_recovery
  deletion_protection    = var.settings.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.settings.log_retention_days
  alarms                 = local.alarms
}
