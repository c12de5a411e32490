# A Lambda that drains one SQS queue the way every pattern here does: batches, partial batch
# failures reported, a cap on concurrent batches, and permission to consume that queue only.

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
  tags               = var.tags
  policy_statements = concat([
    { sid = "ConsumeQueue", actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], resources = [var.queue_arn] },
  ], var.policy_statements)
}

resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn                   = var.queue_arn
  function_name                      = module.function.function_arn
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  scaling_config {
    maximum_concurrency = var.maximum_concurrency
  }

  # What CreateEventSourceMapping refuses, refused at plan with the reason.
  lifecycle {
    precondition {
      condition     = var.queue_visibility_timeout_seconds == null || coalesce(var.queue_visibility_timeout_seconds, 0) >= var.timeout
      error_message = "The queue's visibility timeout (${coalesce(var.queue_visibility_timeout_seconds, 0)} s) is below the function timeout (${var.timeout} s): Lambda refuses the mapping. Six function timeouts is the usual setting."
    }
    precondition {
      condition     = var.batch_size <= 10 || coalesce(var.batching_window_seconds, 0) > 0
      error_message = "A batch size over 10 (${var.batch_size}) needs batching_window_seconds of at least 1: Lambda refuses the mapping otherwise."
    }
    precondition {
      condition     = !endswith(var.queue_arn, ".fifo") || coalesce(var.batching_window_seconds, 0) == 0
      error_message = "A FIFO queue takes no batching window (batching_window_seconds ${coalesce(var.batching_window_seconds, 0)}): Lambda refuses the mapping, so its batches stay at 10 or fewer."
    }
  }
}
