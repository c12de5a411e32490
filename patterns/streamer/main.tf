# P25 streamer: clients post readings to the API, which puts each one on a Kinesis stream itself (no
# function on the write path). Firehose reads the stream, has the transform function clean every record
# (or drop it, or mark it failed), and writes GZIP objects of clean JSON lines to the archive bucket. A
# record the transform refuses, and every record of a batch the transform kept failing on, is written
# under the failed prefix with Firehose's reason: nothing is dropped silently.

data "aws_partition" "current" {}
data "aws_region" "current" {}

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

module "archive" {
  source = "../../modules/bucket"

  name          = "${var.name}-archive"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "transform" {
  source = "../../modules/lambda-function"

  name         = "${var.name}-transform"
  description  = "Cleans ${var.name}'s readings for the archive; refuses what is not a reading"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "streamer.handler.handler"
  # Firehose waits at most 5 minutes for a transform.
  timeout            = var.transform.timeout_seconds
  memory_size        = var.transform.memory_size
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    POWERTOOLS_SERVICE_NAME = var.name
  }
  # It reads nothing and writes nothing: Firehose hands it the records and takes back the answer.
  policy_statements = []
}

module "firehose" {
  source = "../../modules/stream-archive"

  name                   = var.name
  stream_arn             = aws_kinesis_stream.readings.arn
  stream_retention_hours = var.stream.retention_hours
  bucket_arn             = module.archive.bucket_arn
  records_prefix         = var.records_prefix
  failed_prefix          = var.failed_prefix
  buffering              = var.buffering
  transform = {
    function_arn            = module.transform.function_arn
    retries                 = var.transform.retries
    buffer_size_mb          = var.transform.buffer_size_mb
    buffer_interval_seconds = var.transform.buffer_interval_seconds
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
}
