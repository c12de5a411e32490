# P17 fan-out/fan-in: the splitter records a job and invokes the worker asynchronously once per part;
# each worker records its part in the jobs table (once per part), and the worker whose part makes the
# table's count reach the job's parts combines every part's result into the job's. Completion is read
# from the table, never from timing; a part that keeps failing is named there with its error and lands
# in the dead-letter queue, and its job stays RUNNING, visibly waiting.

module "documents" {
  source = "../../modules/bucket"

  name          = "${var.name}-documents"
  force_destroy = !var.deletion_protection
  kms_key_arn   = var.kms_key_arn
  tags          = var.tags
}

module "jobs" {
  source = "../../modules/table"

  name                   = "${var.name}-jobs"
  hash_key               = "jobId"
  range_key              = "sk"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-dlq"
  gave_up     = "Lambda gave up on these job parts after the worker's retries; their jobs wait"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "worker" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-worker"
  description                    = "Does one part of ${var.name}'s jobs; the last part in completes the job"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "fan_out_fan_in.handler.work"
  timeout                        = var.worker.timeout_seconds
  reserved_concurrent_executions = var.worker.reserved_concurrent_executions
  async_invocation = {
    maximum_retry_attempts     = var.worker.maximum_retry_attempts
    maximum_event_age_seconds  = var.worker.maximum_event_age_seconds
    on_failure_destination_arn = module.dlq.queue_arn
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    JOBS_TABLE       = module.jobs.table_name
    DOCUMENTS_BUCKET = module.documents.bucket_name
  }
  policy_statements = [
    { sid = "ReadDocuments", actions = ["s3:GetObject"], resources = ["${module.documents.bucket_arn}/*"] },
    { sid = "Parts", actions = ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], resources = [module.jobs.table_arn] },
  ]
}

module "splitter" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-splitter"
  description        = "Records ${var.name}'s jobs and fans their parts out to the worker"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "fan_out_fan_in.handler.split"
  timeout            = var.splitter_timeout_seconds
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    JOBS_TABLE      = module.jobs.table_name
    WORKER_FUNCTION = module.worker.function_name
    PART_SIZE       = tostring(var.part_size)
  }
  policy_statements = [
    { sid = "Jobs", actions = ["dynamodb:PutItem", "dynamodb:GetItem"], resources = [module.jobs.table_arn] },
    { sid = "FanOut", actions = ["lambda:InvokeFunction"], resources = [module.worker.function_arn] },
  ]
}

module "status" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-status"
  description        = "Answers the state of ${var.name}'s jobs from the table"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "fan_out_fan_in.handler.status"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    JOBS_TABLE = module.jobs.table_name
  }
  policy_statements = [
    { sid = "ReadJobs", actions = ["dynamodb:GetItem", "dynamodb:Query"], resources = [module.jobs.table_arn] },
  ]
}

# What a client needs, and nothing more: submit jobs, ask their state, put the documents.
data "aws_region" "current" {}

data "aws_iam_policy_document" "client" {
  statement {
    sid       = "SubmitAndAsk"
    actions   = ["lambda:InvokeFunction"]
    resources = [module.splitter.function_arn, module.status.function_arn]
  }

  statement {
    sid       = "PutDocuments"
    actions   = ["s3:PutObject"]
    resources = ["${module.documents.bucket_arn}/*"]
  }

  # S3 encrypts each document with the bucket's key on the client's behalf.
  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DocumentsKey"
      actions   = ["kms:GenerateDataKey"]
      resources = [statement.value]
      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }
}
