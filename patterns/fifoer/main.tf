locals {
  visibility_timeout = coalesce(var.visibility_timeout_seconds, 6 * var.consumer.timeout_seconds)
}

module "events" {
  source = "../../modules/queue"

  name                       = "${var.name}-events"
  fifo                       = true
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
}

# Single-table ledger: ACCOUNT (balance, version), ENTRY#<position> (applied order) and
# DEDUP#<id> markers (expire after deduplication_days) per account.
module "ledger" {
  source = "../../modules/table"

  name                   = "${var.name}-ledger"
  hash_key               = "pk"
  range_key              = "sk"
  ttl_attribute          = "expiresAt"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

# FIFO: no batching window (Lambda does not allow one); groups are delivered in order.
module "consumer" {
  source = "../../modules/sqs-consumer"

  name                             = "${var.name}-consumer"
  description                      = "Applies ${var.name}'s ledger events in order, once"
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "fifoer.handler.handler"
  timeout                          = var.consumer.timeout_seconds
  queue_visibility_timeout_seconds = local.visibility_timeout
  queue_arn                        = module.events.queue_arn
  batch_size                       = var.consumer.batch_size
  maximum_concurrency              = var.consumer.maximum_concurrency
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    LEDGER_TABLE            = module.ledger.table_name
    DEDUPLICATION_DAYS      = tostring(var.deduplication_days)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Ledger", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [module.ledger.table_arn] },
  ]
}

# What a producer needs, and nothing more: attach it to the producer's role.
data "aws_iam_policy_document" "producer" {
  statement {
    sid       = "SendLedgerEvents"
    actions   = ["sqs:SendMessage", "sqs:GetQueueUrl"]
    resources = [module.events.queue_arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "QueueKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}
