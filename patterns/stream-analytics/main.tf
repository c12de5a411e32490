# P26 stream analytics: producers put readings on a Kinesis stream. A consumer adds each tumbling window's
# readings up (Lambda carries the window's state from batch to batch) and keeps, when the window ends, one
# row per sensor in DynamoDB for fast reads. Firehose archives the same stream's readings, as they came, into
# S3 a folder per day, and a Glue table over the archive lets Athena query every reading. A record that is
# not a reading fails its batch, which is bisected until the record alone goes to the on-failure queue, and
# is kept out of the archive, under its failed prefix.

locals {
  records_prefix = "readings/"
  failed_prefix  = "failed/"
}

resource "aws_kinesis_stream" "readings" {
  name             = "${var.name}-readings"
  retention_period = var.stream.retention_hours
  shard_count      = var.stream.on_demand ? null : var.stream.shards
  encryption_type  = "KMS"
  kms_key_id       = coalesce(var.kms_key_arn, "alias/aws/kinesis")
  tags             = var.tags

  stream_mode_details {
    stream_mode = var.stream.on_demand ? "ON_DEMAND" : "PROVISIONED"
  }
}

# Per sensor, window and shard (each shard has its own windows): count, sum, minimum and maximum.
module "windows" {
  source = "../../modules/table"

  name                   = "${var.name}-windows"
  hash_key               = "sensor"
  range_key              = "window"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  alarms                 = var.alarms
  tags                   = var.tags
}

module "aggregator" {
  source = "../../modules/stream-consumer"

  name                       = "${var.name}-aggregator"
  description                = "Adds up ${var.name}'s readings per tumbling window into the windows table"
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  handler                    = "stream_analytics.handler.aggregate"
  timeout                    = var.aggregator.timeout_seconds
  memory_size                = var.aggregator.memory_size
  stream_arn                 = aws_kinesis_stream.readings.arn
  starting_position          = "TRIM_HORIZON"
  batch_size                 = var.aggregator.batch_size
  tumbling_window_seconds    = var.window_seconds
  maximum_retry_attempts     = var.aggregator.maximum_retry_attempts
  maximum_record_age_seconds = var.aggregator.maximum_record_age_seconds
  bisect_on_error            = true
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
  environment = {
    WINDOWS_TABLE           = module.windows.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  # (The key's use through Kinesis, DynamoDB and SQS comes with modules/lambda-function.)
  policy_statements = [
    { sid = "KeepWindows", actions = ["dynamodb:BatchWriteItem"], resources = [module.windows.table_arn] },
  ]
}

# Firehose's transform: a reading goes to the archive as it came, anything else under the failed prefix.
module "archive_check" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-archive-check"
  description        = "Keeps what is not a reading out of ${var.name}'s archive"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "stream_analytics.handler.archive"
  timeout            = 60
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment        = { POWERTOOLS_SERVICE_NAME = var.name }
  # It reads nothing and writes nothing: Firehose hands it the records and takes back the answer.
  policy_statements = []
}

module "archive" {
  source = "../../modules/bucket"

  name          = "${var.name}-archive"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

# Every reading, as it came, in GZIP objects of JSON lines under readings/dt=yyyy-MM-dd/ (UTC, by the arrival of
# the object's oldest record); what is not a reading under failed/ with Firehose's reason.
module "firehose" {
  source = "../../modules/stream-archive"

  name                   = var.name
  stream_arn             = aws_kinesis_stream.readings.arn
  stream_retention_hours = var.stream.retention_hours
  bucket_arn             = module.archive.bucket_arn
  records_prefix         = local.records_prefix
  failed_prefix          = local.failed_prefix
  time_folder            = "dt=!{timestamp:yyyy-MM-dd}/"
  buffering              = { size_mb = var.buffering.size_mb, interval_seconds = var.buffering.interval_seconds }
  transform = {
    function_arn            = module.archive_check.function_arn
    buffer_interval_seconds = var.buffering.check_interval_seconds
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
}
