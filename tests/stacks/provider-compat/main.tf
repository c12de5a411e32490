# Test root: resources the AWS provider could not apply against plain moto, or that
# diffed on a second plan (../shared/research/moto-compat.md). All must apply cleanly.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

provider "aws" {}

variable "name" {
  type        = string
  description = "Unique prefix for this test stack."
}

variable "package_path" {
  type        = string
  description = "Any Lambda zip (the test uses the probe's)."
}

# Plain moto: ValidateStateMachineDefinition and ListStateMachineVersions are missing,
# so apply, plan and destroy all hang on retries.
data "aws_iam_policy_document" "sfn_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "sfn" {
  name               = "${var.name}-sfn"
  assume_role_policy = data.aws_iam_policy_document.sfn_assume.json
}

# Step Functions refuses logging for a role that may not manage CloudWatch Logs' log deliveries.
resource "aws_iam_role_policy" "sfn_logs" {
  name = "log-delivery"
  role = aws_iam_role.sfn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect = "Allow"
      Action = ["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
      "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"]
      Resource = "*"
    }]
  })
}

resource "aws_cloudwatch_log_group" "sfn" {
  name              = "/aws/vendedlogs/states/${var.name}"
  retention_in_days = 1
}

resource "aws_sfn_state_machine" "this" {
  name     = var.name
  role_arn = aws_iam_role.sfn.arn
  definition = jsonencode({
    StartAt = "Wait"
    States = {
      Wait = { Type = "Wait", Seconds = 1, Next = "Done" }
      Done = { Type = "Succeed" }
    }
  })

  logging_configuration {
    log_destination        = "${aws_cloudwatch_log_group.sfn.arn}:*"
    include_execution_data = true
    level                  = "ERROR"
  }

  tracing_configuration {
    enabled = true
  }

  depends_on = [aws_iam_role_policy.sfn_logs]
}

# Plain moto: RedriveAllowPolicy is never returned (the provider waits forever), the
# redrive policy comes back with spaces (permanent diff), and setting the redrive
# policy wipes the separate queue policy (recreated on every plan).
resource "aws_sqs_queue" "dlq" {
  name                    = "${var.name}-dlq"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue" "main" {
  name                    = "${var.name}-main"
  sqs_managed_sse_enabled = true
}

resource "aws_sqs_queue_redrive_policy" "main" {
  queue_url = aws_sqs_queue.main.id
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dlq.arn
    maxReceiveCount     = 4
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dlq" {
  queue_url = aws_sqs_queue.dlq.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.main.arn]
  })
}

data "aws_iam_policy_document" "queue" {
  statement {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.main.arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
  }
}

resource "aws_sqs_queue_policy" "main" {
  queue_url = aws_sqs_queue.main.id
  policy    = data.aws_iam_policy_document.queue.json
}

# Plain moto: DeadLetterConfig and LoggingConfig are never returned (permanent diff, and with
# publish = true a new version and alias update on every plan); provisioned concurrency has no route.
data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "fn" {
  name               = "${var.name}-fn"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

# Lambda refuses a dead-letter queue the role may not send to, and active tracing for a role that may not
# upload traces, as AWS does.
resource "aws_iam_role_policy" "fn_dead_letters" {
  name = "dead-letters"
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "sqs:SendMessage", Resource = aws_sqs_queue.dlq.arn },
      { Effect = "Allow", Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource = "*" },
    ]
  })
}

resource "aws_lambda_function" "published" {
  depends_on = [aws_iam_role_policy.fn_dead_letters]

  function_name    = "${var.name}-published"
  role             = aws_iam_role.fn.arn
  handler          = "localcloud_probe.handler.handler"
  runtime          = "python3.11"
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  publish          = true

  environment {
    variables = { PROBE_TABLE = "unused" }
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }

  logging_config {
    log_format = "Text"
  }

  tracing_config {
    mode = "Active"
  }
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.published.function_name
  function_version = aws_lambda_function.published.version
}

resource "aws_lambda_provisioned_concurrency_config" "live" {
  function_name                     = aws_lambda_alias.live.function_name
  qualifier                         = aws_lambda_alias.live.name
  provisioned_concurrent_executions = 1
}

# Plain moto: a replication group's member clusters did not exist (the provider failed reading them),
# the subnet group could not be deleted and a deleted group never went away (destroy hung).
resource "aws_vpc" "cache" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "cache" {
  vpc_id     = aws_vpc.cache.id
  cidr_block = "10.50.1.0/24"
}

resource "aws_elasticache_subnet_group" "this" {
  name       = "${var.name}-cache"
  subnet_ids = [aws_subnet.cache.id]
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = "${var.name}-rg"
  description                = "provider compatibility"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = "cache.t4g.micro"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  transit_encryption_enabled = true
  at_rest_encryption_enabled = true
  auth_token                 = "a-long-auth-token-0123456789"
  apply_immediately          = true
}

# Plain moto: a pipe was stored and never ran. Here it applies, reaches RUNNING, plans empty and delivers.
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "pipe_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["pipes.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "pipe" {
  name               = "${var.name}-pipe"
  assume_role_policy = data.aws_iam_policy_document.pipe_assume.json
}

data "aws_iam_policy_document" "pipe" {
  statement {
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.main.arn]
  }
  statement {
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.piped.arn]
  }
}

resource "aws_iam_role_policy" "pipe" {
  name   = "pipe"
  role   = aws_iam_role.pipe.id
  policy = data.aws_iam_policy_document.pipe.json
}

resource "aws_sns_topic" "piped" {
  name = "${var.name}-piped"
}

resource "aws_pipes_pipe" "queue_to_topic" {
  name     = "${var.name}-pipe"
  role_arn = aws_iam_role.pipe.arn
  source   = aws_sqs_queue.main.arn
  target   = aws_sns_topic.piped.arn

  source_parameters {
    sqs_queue_parameters {
      batch_size                         = 5
      maximum_batching_window_in_seconds = 1
    }
  }

  target_parameters {
    input_template = "{\"order\": <$.body.order>}"
  }

  # The role must read the queue before the pipe is created: Pipes checks it then (CREATE_FAILED).
  depends_on = [aws_iam_role_policy.pipe]
}

# Plain moto: PutMetricStream answered 500 and the provider retried it for minutes.
resource "aws_s3_bucket" "metrics" {
  bucket        = "${var.name}-metrics"
  force_destroy = true
}

data "aws_iam_policy_document" "firehose_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "firehose" {
  name               = "${var.name}-firehose"
  assume_role_policy = data.aws_iam_policy_document.firehose_assume.json
}

resource "aws_iam_role_policy" "firehose" {
  name = "write"
  role = aws_iam_role.firehose.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:PutObject"], Resource = "${aws_s3_bucket.metrics.arn}/*" }]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "metrics" {
  name        = "${var.name}-metrics"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn           = aws_iam_role.firehose.arn
    bucket_arn         = aws_s3_bucket.metrics.arn
    buffering_interval = 60
  }

  depends_on = [aws_iam_role_policy.firehose]
}

data "aws_iam_policy_document" "metric_stream_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["streams.metrics.cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "metric_stream" {
  name               = "${var.name}-metric-stream"
  assume_role_policy = data.aws_iam_policy_document.metric_stream_assume.json
}

resource "aws_iam_role_policy" "metric_stream" {
  name = "deliver"
  role = aws_iam_role.metric_stream.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource = aws_kinesis_firehose_delivery_stream.metrics.arn }]
  })
}

resource "aws_cloudwatch_metric_stream" "lambda" {
  name          = "${var.name}-lambda"
  role_arn      = aws_iam_role.metric_stream.arn
  firehose_arn  = aws_kinesis_firehose_delivery_stream.metrics.arn
  output_format = "json"

  include_filter {
    namespace    = "AWS/Lambda"
    metric_names = ["Errors", "Throttles"]
  }

  tags = { purpose = "compat" }
}

output "metric_stream_name" {
  value = aws_cloudwatch_metric_stream.lambda.name
}

output "pipe_name" {
  value = aws_pipes_pipe.queue_to_topic.name
}

output "piped_topic_name" {
  value = aws_sns_topic.piped.name
}

output "main_queue_url" {
  value = aws_sqs_queue.main.id
}

output "cache_primary_address" {
  value = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "state_machine_arn" {
  value = aws_sfn_state_machine.this.arn
}
