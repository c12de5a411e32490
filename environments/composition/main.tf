# Identical in every environment: the differences live in terraform.tfvars.
data "aws_caller_identity" "current" {}

locals {
  prefix       = "sp-${var.environment}"
  kms_key_arn  = var.customer_managed_key ? module.kms_key[0].key_arn : null
  package_path = "${var.lambda_build_dir}/simple-web-service.zip"
}

module "kms_key" {
  source = "../../modules/kms-key"
  count  = var.customer_managed_key ? 1 : 0

  name = local.prefix
}

module "api_gateway_account" {
  source = "../../modules/api-gateway-account"

  name = local.prefix
}

module "simple_web_service" {
  source = "../../modules/simple-web-service"

  name                   = "${local.prefix}-items"
  package_path           = local.package_path
  authorization_type     = var.api_authorization_type
  throttling             = var.api_throttling
  logging_level          = var.api_logging_level
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = local.kms_key_arn
  reserved_concurrency   = var.reserved_concurrency
  log_retention_days     = var.log_retention_days
  alarms                 = { enabled = var.alarms_enabled, actions = var.alarm_actions }

  depends_on = [module.api_gateway_account]
}

module "queue_based_load_leveling" {
  source = "../../modules/queue-based-load-leveling"

  name                   = "${local.prefix}-orders"
  package_path           = "${var.lambda_build_dir}/queue-based-load-leveling.zip"
  authorization_type     = var.api_authorization_type
  point_in_time_recovery = var.point_in_time_recovery
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.log_retention_days
  alarms                 = { enabled = var.alarms_enabled, actions = var.alarm_actions }

  depends_on = [module.api_gateway_account]
}

module "fifoer" {
  source = "../../modules/fifoer"

  name                   = "${local.prefix}-ledger"
  package_path           = "${var.lambda_build_dir}/fifoer.zip"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.log_retention_days
  alarms                 = { enabled = var.alarms_enabled, actions = var.alarm_actions }
}

module "big_fan" {
  source = "../../modules/big-fan"

  name         = "${local.prefix}-fan"
  package_path = "${var.lambda_build_dir}/big-fan.zip"
  subscribers = {
    payments = { event_types = ["payment"] }
    refunds  = { event_types = ["refund"] }
    audit    = { event_types = ["payment", "refund"] }
  }
  authorization_type     = var.api_authorization_type
  throttling             = var.api_throttling
  logging_level          = var.api_logging_level
  point_in_time_recovery = var.point_in_time_recovery
  kms_key_arn            = local.kms_key_arn
  log_retention_days     = var.log_retention_days
  alarms                 = { enabled = var.alarms_enabled, actions = var.alarm_actions }

  depends_on = [module.api_gateway_account]
}

module "distributed_trigger" {
  source = "../../modules/distributed-trigger"

  name          = "${local.prefix}-order-events"
  package_path  = "${var.lambda_build_dir}/distributed-trigger.zip"
  service_name  = "orders"
  event_pattern = { source = ["serverless-patterns.orders"], "detail-type" = ["OrderPlaced", "OrderCancelled"] }
  subscribers = {
    billing   = { event_types = ["OrderPlaced"] }
    shipping  = { event_types = ["OrderPlaced", "OrderCancelled"] }
    analytics = {}
  }
  kms_key_arn        = local.kms_key_arn
  log_retention_days = var.log_retention_days
  alarms             = { enabled = var.alarms_enabled, actions = var.alarm_actions }
}

module "notifier" {
  source = "../../modules/notifier"

  name               = "${local.prefix}-billing-events"
  publishers         = [data.aws_caller_identity.current.account_id]
  publisher_services = ["events.amazonaws.com"]
  queue_subscribers = {
    ledger = {}
    audit  = { raw_message_delivery = false }
  }
  queue_kms_key_arn = local.kms_key_arn
  alarm_actions     = var.alarm_actions
}

module "pub_sub" {
  source = "../../modules/pub-sub"

  # Bucket names are global: the account id keeps them this account's.
  name               = "${local.prefix}-docs-${data.aws_caller_identity.current.account_id}"
  package_path       = "${var.lambda_build_dir}/pub-sub.zip"
  upload_prefix      = "in/"
  force_destroy      = !var.deletion_protection
  kms_key_arn        = local.kms_key_arn
  log_retention_days = var.log_retention_days
  alarms             = { enabled = var.alarms_enabled, actions = var.alarm_actions }
}
