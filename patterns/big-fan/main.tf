data "aws_region" "current" {}

data "aws_partition" "current" {}

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
  source   = "../../modules/subscribed-queue"
  for_each = var.subscribers

  name                       = "${var.name}-${each.key}"
  topic_arn                  = aws_sns_topic.events.arn
  filter_policy              = { eventType = each.value.event_types }
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
}

# Every subscriber records what it received, once per event.
module "deliveries" {
  source = "../../modules/table"

  name                   = "${var.name}-deliveries"
  hash_key               = "eventId"
  range_key              = "subscriber"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "consumer" {
  source   = "../../modules/sqs-consumer"
  for_each = var.subscribers

  name                             = "${var.name}-${each.key}"
  description                      = "The ${each.key} subscriber of ${var.name}: events of type ${join(", ", each.value.event_types)}"
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "big_fan.handler.handler"
  timeout                          = var.consumer.timeout_seconds
  queue_visibility_timeout_seconds = local.visibility_timeout
  queue_arn                        = module.subscriber_queue[each.key].queue_arn
  batch_size                       = var.consumer.batch_size
  batching_window_seconds          = var.consumer.batching_window_seconds
  maximum_concurrency              = var.consumer.maximum_concurrency
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    SUBSCRIBER              = each.key
    DELIVERIES_TABLE        = module.deliveries.table_name
    POWERTOOLS_SERVICE_NAME = "${var.name}-${each.key}"
  }
  policy_statements = [
    { sid = "RecordDeliveries", actions = ["dynamodb:PutItem"], resources = [module.deliveries.table_arn] },
  ]
}
