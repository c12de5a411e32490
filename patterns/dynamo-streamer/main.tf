data "aws_region" "current" {}
data "aws_partition" "current" {}

# The messages the API writes; its stream carries every change to the consumer.
module "messages" {
  source = "../../modules/table"

  name                   = "${var.name}-messages"
  hash_key               = "id"
  stream_view_type       = "NEW_AND_OLD_IMAGES"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

# The change log the stream consumer keeps: one entry per message and stream sequence number.
module "changes" {
  source = "../../modules/table"

  name                   = "${var.name}-changes"
  hash_key               = "id"
  range_key              = "sequence"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "consumer" {
  source = "../../modules/stream-consumer"

  name                       = "${var.name}-consumer"
  description                = "Keeps ${var.name}'s change log from the messages table's stream"
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  handler                    = "dynamo_streamer.handler.handler"
  timeout                    = var.consumer.timeout_seconds
  stream_arn                 = module.messages.table_stream_arn
  batch_size                 = var.consumer.batch_size
  maximum_retry_attempts     = var.consumer.maximum_retry_attempts
  maximum_record_age_seconds = var.consumer.maximum_record_age_seconds
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
  environment = {
    CHANGES_TABLE           = module.changes.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "AppendChanges", actions = ["dynamodb:PutItem"], resources = [module.changes.table_arn] },
  ]
}
