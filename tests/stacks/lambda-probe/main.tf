# Test root: a probe function behind direct invoke, async invoke and an SQS event source mapping.
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
  description = "Zip of src/ built by the test."
}

resource "aws_dynamodb_table" "seen" {
  name         = "${var.name}-seen"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {
    name = "pk"
    type = "S"
  }
}

module "queue" {
  source = "../../../modules/queue"

  name              = "${var.name}-in"
  max_receive_count = 3
}

resource "aws_sqs_queue" "async_dlq" {
  name                    = "${var.name}-async-dlq"
  sqs_managed_sse_enabled = true
}

module "probe" {
  source = "../../../modules/lambda-function"

  name                   = "${var.name}-probe"
  package_path           = var.package_path
  handler                = "localcloud_probe.handler.handler"
  timeout                = 5
  log_retention_days     = 1
  environment            = { PROBE_TABLE = aws_dynamodb_table.seen.name }
  dead_letter_target_arn = aws_sqs_queue.async_dlq.arn
  policy_statements = [
    { actions = ["dynamodb:PutItem"], resources = [aws_dynamodb_table.seen.arn] },
    { actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"], resources = [module.queue.queue_arn] },
  ]
}

resource "aws_lambda_function_event_invoke_config" "probe" {
  function_name          = module.probe.function_name
  maximum_retry_attempts = 1
}

resource "aws_lambda_event_source_mapping" "queue" {
  event_source_arn        = module.queue.queue_arn
  function_name           = module.probe.function_arn
  batch_size              = 10
  function_response_types = ["ReportBatchItemFailures"]
}

output "function_name" {
  value = module.probe.function_name
}

output "table_name" {
  value = aws_dynamodb_table.seen.name
}

output "queue_url" {
  value = module.queue.queue_url
}

output "async_dlq_url" {
  value = aws_sqs_queue.async_dlq.url
}
