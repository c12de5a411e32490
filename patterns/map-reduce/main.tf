# P18 map-reduce: an upload to the input bucket invokes the coordinator, which splits the object into
# byte ranges, writes the job's manifest to the work bucket and starts a mapper per range
# (asynchronously). Each mapper writes its range's word counts to the work bucket; the one that finds
# every range there starts the reducer, which writes the result. Completion is read from the work
# bucket's objects; a mapper that keeps failing lands in the dead-letter queue and its job never gets a
# result that lacks its range.

data "aws_caller_identity" "current" {}

module "input" {
  source = "../../modules/bucket"

  name          = "${var.name}-input"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "work" {
  source = "../../modules/bucket"

  name          = "${var.name}-work"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-dlq"
  gave_up     = "Lambda gave up on these coordinator, mapper or reducer events after their retries; their jobs have no result"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

locals {
  async = {
    maximum_retry_attempts     = var.maximum_retry_attempts
    maximum_event_age_seconds  = var.maximum_event_age_seconds
    on_failure_destination_arn = module.dlq.queue_arn
  }
  work_objects = "${module.work.bucket_arn}/jobs/*"
}

module "reducer" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-reducer"
  description        = "Merges the word counts of ${var.name}'s ranges into each job's result"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "map_reduce.handler.reduce"
  timeout            = var.reducer.timeout_seconds
  memory_size        = var.reducer.memory_size
  async_invocation   = local.async
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment        = { WORK_BUCKET = module.work.bucket_name }
  policy_statements = [
    { sid = "ReadWork", actions = ["s3:GetObject", "s3:PutObject"], resources = [local.work_objects] },
    { sid = "ListWork", actions = ["s3:ListBucket"], resources = [module.work.bucket_arn] },
  ]
}

module "mapper" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-mapper"
  description                    = "Counts the words of one byte range of ${var.name}'s uploads"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "map_reduce.handler.map_range"
  timeout                        = var.mapper.timeout_seconds
  memory_size                    = var.mapper.memory_size
  reserved_concurrent_executions = var.mapper.reserved_concurrent_executions
  async_invocation               = local.async
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment                    = { WORK_BUCKET = module.work.bucket_name, REDUCER_FUNCTION = module.reducer.function_name }
  policy_statements = [
    { sid = "ReadRanges", actions = ["s3:GetObject", "s3:GetObjectVersion"], resources = ["${module.input.bucket_arn}/${var.input_prefix}*"] },
    { sid = "WriteCounts", actions = ["s3:GetObject", "s3:PutObject"], resources = [local.work_objects] },
    { sid = "ListWork", actions = ["s3:ListBucket"], resources = [module.work.bucket_arn] },
    { sid = "StartReducer", actions = ["lambda:InvokeFunction"], resources = [module.reducer.function_arn] },
  ]
}

module "coordinator" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-coordinator"
  description        = "Splits ${var.name}'s uploads into byte ranges and starts a mapper per range"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "map_reduce.handler.coordinate"
  timeout            = var.coordinator_timeout_seconds
  async_invocation   = local.async
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    WORK_BUCKET     = module.work.bucket_name
    MAPPER_FUNCTION = module.mapper.function_name
    CHUNK_BYTES     = tostring(var.chunk_bytes)
  }
  policy_statements = [
    { sid = "WriteManifests", actions = ["s3:PutObject"], resources = [local.work_objects] },
    { sid = "StartMappers", actions = ["lambda:InvokeFunction"], resources = [module.mapper.function_arn] },
  ]
}

resource "aws_lambda_permission" "uploads" {
  statement_id   = "S3Uploads"
  action         = "lambda:InvokeFunction"
  function_name  = module.coordinator.function_name
  principal      = "s3.amazonaws.com"
  source_arn     = module.input.bucket_arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_s3_bucket_notification" "uploads" {
  bucket = module.input.bucket_name

  lambda_function {
    lambda_function_arn = module.coordinator.function_arn
    events              = ["s3:ObjectCreated:*"]
    filter_prefix       = var.input_prefix
  }

  depends_on = [aws_lambda_permission.uploads]
}
