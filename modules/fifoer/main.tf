locals {
  visibility_timeout = coalesce(var.visibility_timeout_seconds, 6 * var.consumer.timeout_seconds)
}

module "events" {
  source = "../queue"

  name                       = "${var.name}-events"
  fifo                       = true
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarm_actions              = var.alarms.actions
  tags                       = var.tags
}

# Single-table ledger: ACCOUNT (balance, version), ENTRY#<position> (applied order) and
# DEDUP#<id> markers (expire after deduplication_days) per account.
resource "aws_dynamodb_table" "ledger" {
  #checkov:skip=CKV_AWS_119: encrypted with the AWS managed key unless kms_key_arn is given
  name                        = "${var.name}-ledger"
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pk"
  range_key                   = "sk"
  deletion_protection_enabled = var.deletion_protection
  tags                        = var.tags

  attribute {
    name = "pk"
    type = "S"
  }

  attribute {
    name = "sk"
    type = "S"
  }

  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }
}

# FIFO: no batching window (Lambda does not allow one); groups are delivered in order.
module "consumer" {
  source = "../sqs-consumer"

  name                = "${var.name}-consumer"
  description         = "Applies ${var.name}'s ledger events in order, once"
  package_path        = var.package_path
  handler             = "fifoer.handler.handler"
  timeout             = var.consumer.timeout_seconds
  queue_arn           = module.events.queue_arn
  batch_size          = var.consumer.batch_size
  maximum_concurrency = var.consumer.maximum_concurrency
  log_retention_days  = var.log_retention_days
  kms_key_arn         = var.kms_key_arn
  alarms              = { enabled = var.alarms.enabled, actions = var.alarms.actions }
  tags                = var.tags
  environment = {
    LEDGER_TABLE            = aws_dynamodb_table.ledger.name
    DEDUPLICATION_DAYS      = tostring(var.deduplication_days)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Ledger", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:ConditionCheckItem"], resources = [aws_dynamodb_table.ledger.arn] },
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
