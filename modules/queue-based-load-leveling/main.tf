data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  visibility_timeout = coalesce(var.visibility_timeout_seconds, 6 * var.consumer.timeout_seconds)
}

module "requests" {
  source = "../queue"

  name                       = "${var.name}-requests"
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarm_actions              = var.alarms.actions
  tags                       = var.tags
}

resource "aws_dynamodb_table" "results" {
  #checkov:skip=CKV_AWS_119: encrypted with the AWS managed key unless kms_key_arn is given
  name         = "${var.name}-results"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "transactionId"
  tags         = var.tags

  attribute {
    name = "transactionId"
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

# Powertools idempotency records: a redelivered message finds its record and is not processed twice.
resource "aws_dynamodb_table" "idempotency" {
  #checkov:skip=CKV_AWS_119: encrypted with the AWS managed key unless kms_key_arn is given
  #checkov:skip=CKV_AWS_28: records expire within a day; a backup of them restores nothing of value
  name         = "${var.name}-idempotency"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  tags         = var.tags

  attribute {
    name = "id"
    type = "S"
  }

  ttl {
    attribute_name = "expiration"
    enabled        = true
  }

  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }
}

module "consumer" {
  source = "../sqs-consumer"

  name                    = "${var.name}-consumer"
  description             = "Drains ${var.name}'s request queue at its own pace"
  package_path            = var.package_path
  handler                 = "load_leveling.handler.handler"
  timeout                 = var.consumer.timeout_seconds
  queue_arn               = module.requests.queue_arn
  batch_size              = var.consumer.batch_size
  batching_window_seconds = var.consumer.batching_window_seconds
  maximum_concurrency     = var.consumer.maximum_concurrency
  log_retention_days      = var.log_retention_days
  kms_key_arn             = var.kms_key_arn
  alarms                  = { enabled = var.alarms.enabled, actions = var.alarms.actions }
  tags                    = var.tags
  environment = {
    RESULTS_TABLE           = aws_dynamodb_table.results.name
    IDEMPOTENCY_TABLE       = aws_dynamodb_table.idempotency.name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "WriteResults", actions = ["dynamodb:PutItem"], resources = [aws_dynamodb_table.results.arn] },
    { sid = "Idempotency", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], resources = [aws_dynamodb_table.idempotency.arn] },
  ]
}

# The consumer and its mapping moved into the shared sqs-consumer module.
moved {
  from = module.consumer.aws_iam_role.this
  to   = module.consumer.module.function.aws_iam_role.this
}

moved {
  from = module.consumer.aws_iam_role_policy.this
  to   = module.consumer.module.function.aws_iam_role_policy.this
}

moved {
  from = module.consumer.aws_cloudwatch_log_group.this
  to   = module.consumer.module.function.aws_cloudwatch_log_group.this
}

moved {
  from = module.consumer.aws_lambda_function.this
  to   = module.consumer.module.function.aws_lambda_function.this
}

moved {
  from = module.consumer.aws_cloudwatch_metric_alarm.errors
  to   = module.consumer.module.function.aws_cloudwatch_metric_alarm.errors
}

moved {
  from = module.consumer.aws_cloudwatch_metric_alarm.throttles
  to   = module.consumer.module.function.aws_cloudwatch_metric_alarm.throttles
}

moved {
  from = aws_lambda_event_source_mapping.requests
  to   = module.consumer.aws_lambda_event_source_mapping.this
}
