# A Lambda that reads one DynamoDB or Kinesis stream the way every pattern here does: in order per
# shard, partial batch failures reported, a failing batch bisected and retried a bounded number of
# times, then recorded in an on-failure queue so the shard moves on and nothing is lost silently.

locals {
  kinesis = can(regex("^arn:aws[a-z-]*:kinesis:", var.stream_arn))
  # What Lambda checks the role for before it polls, on this stream only.
  stream_actions = local.kinesis ? [
    "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary",
    "kinesis:ListShards",
  ] : ["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"]
}

module "failed" {
  source = "../dead-letter-queue"

  name        = "${var.name}-dlq"
  gave_up     = "the stream consumer gave up on these batches (each message names the shard and sequence numbers to replay)"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "function" {
  source = "../lambda-function"

  name               = var.name
  description        = var.description
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = var.handler
  timeout            = var.timeout
  memory_size        = var.memory_size
  environment        = var.environment
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  vpc                = var.vpc
  tags               = var.tags
  policy_statements = concat([
    { sid = "ReadStream", actions = local.stream_actions, resources = [var.stream_arn] },
    { sid = "RecordFailedBatches", actions = ["sqs:SendMessage"], resources = [module.failed.queue_arn] },
  ], var.policy_statements)
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.stream_arn
  function_name                      = module.function.function_arn
  starting_position                  = var.starting_position
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  parallelization_factor             = var.parallelization_factor
  maximum_retry_attempts             = var.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.maximum_record_age_seconds
  bisect_batch_on_function_error     = var.bisect_on_error
  tumbling_window_in_seconds         = var.tumbling_window_seconds == 0 ? null : var.tumbling_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = module.failed.queue_arn
    }
  }

  dynamic "filter_criteria" {
    for_each = length(var.filters) == 0 ? [] : [var.filters]
    content {
      dynamic "filter" {
        for_each = filter_criteria.value
        content {
          pattern = jsonencode(filter.value)
        }
      }
    }
  }

  # The role's permission to send to the on-failure queue must exist before Lambda checks it.
  depends_on = [module.function]
}

# The function falls behind its stream: records wait longer and longer before it gets them.
resource "aws_cloudwatch_metric_alarm" "iterator_age" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-iterator-age"
  alarm_description   = "${var.name} is given records over ${var.iterator_age_alarm_seconds} s old: it falls behind its stream."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = module.function.function_name }
  statistic           = "Maximum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = var.iterator_age_alarm_seconds * 1000
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
