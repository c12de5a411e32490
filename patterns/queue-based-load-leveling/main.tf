data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}

locals {
  visibility_timeout = coalesce(var.visibility_timeout_seconds, 6 * var.consumer.timeout_seconds)
}

module "requests" {
  source = "../../modules/queue"

  name                       = "${var.name}-requests"
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
}

module "results" {
  source = "../../modules/table"

  name                   = "${var.name}-results"
  hash_key               = "transactionId"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

# Powertools idempotency records: a redelivered message finds its record and is not processed twice.
module "idempotency" {
  source = "../../modules/table"

  # Records expire within a day: a backup of them restores nothing of value.
  name                   = "${var.name}-idempotency"
  hash_key               = "id"
  ttl_attribute          = "expiration"
  point_in_time_recovery = false
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "consumer" {
  source = "../../modules/sqs-consumer"

  name                             = "${var.name}-consumer"
  description                      = "Drains ${var.name}'s request queue at its own pace"
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "load_leveling.handler.handler"
  timeout                          = var.consumer.timeout_seconds
  queue_visibility_timeout_seconds = local.visibility_timeout
  queue_arn                        = module.requests.queue_arn
  batch_size                       = var.consumer.batch_size
  batching_window_seconds          = var.consumer.batching_window_seconds
  maximum_concurrency              = var.consumer.maximum_concurrency
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    RESULTS_TABLE           = module.results.table_name
    IDEMPOTENCY_TABLE       = module.idempotency.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "WriteResults", actions = ["dynamodb:PutItem"], resources = [module.results.table_arn] },
    { sid = "Idempotency", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], resources = [module.idempotency.table_arn] },
  ]
}
