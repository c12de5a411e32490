data "aws_region" "current" {}

locals {
  visibility_timeout = coalesce(var.visibility_timeout_seconds, 6 * var.consumer.timeout_seconds)
}

# AWS managed SNS key unless a customer managed one is given (which SNS also needs to write to
# encrypted queues: see modules/kms-key).
resource "aws_sns_topic" "events" {
  name              = "${var.name}-events"
  kms_master_key_id = coalesce(var.kms_key_arn, "alias/aws/sns")
  tags              = var.tags
}

module "subscriber_queue" {
  source   = "../subscribed-queue"
  for_each = var.subscribers

  name                       = "${var.name}-${each.key}"
  topic_arn                  = aws_sns_topic.events.arn
  filter_policy              = { eventType = each.value.event_types }
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarm_actions              = var.alarms.actions
  tags                       = var.tags
}

# Every subscriber records what it received, once per event.
resource "aws_dynamodb_table" "deliveries" {
  #checkov:skip=CKV_AWS_119: encrypted with the AWS managed key unless kms_key_arn is given
  name         = "${var.name}-deliveries"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "eventId"
  range_key    = "subscriber"
  tags         = var.tags

  attribute {
    name = "eventId"
    type = "S"
  }

  attribute {
    name = "subscriber"
    type = "S"
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }
}

module "consumer" {
  source   = "../sqs-consumer"
  for_each = var.subscribers

  name                    = "${var.name}-${each.key}"
  description             = "The ${each.key} subscriber of ${var.name}: events of type ${join(", ", each.value.event_types)}"
  package_path            = var.package_path
  handler                 = "big_fan.handler.handler"
  timeout                 = var.consumer.timeout_seconds
  queue_arn               = module.subscriber_queue[each.key].queue_arn
  batch_size              = var.consumer.batch_size
  batching_window_seconds = var.consumer.batching_window_seconds
  maximum_concurrency     = var.consumer.maximum_concurrency
  log_retention_days      = var.log_retention_days
  kms_key_arn             = var.kms_key_arn
  alarms                  = { enabled = var.alarms.enabled, actions = var.alarms.actions }
  tags                    = var.tags
  environment = {
    SUBSCRIBER              = each.key
    DELIVERIES_TABLE        = aws_dynamodb_table.deliveries.name
    POWERTOOLS_SERVICE_NAME = "${var.name}-${each.key}"
  }
  policy_statements = [
    { sid = "RecordDeliveries", actions = ["dynamodb:PutItem"], resources = [aws_dynamodb_table.deliveries.arn] },
  ]
}
