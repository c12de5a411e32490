# Test root: one function per Lambda runtime the local cloud runs, each reached the five ways a function is
# (a direct invoke, an asynchronous event, a queue, an HTTP API route and a Step Functions task).
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

variable "functions" {
  type = map(object({
    package = string
    handler = string
  }))
  description = "Runtime (python3.13, nodejs22.x...) => the zip and handler of its function."
}

locals {
  # Names and state names cannot hold dots.
  slug     = { for runtime in keys(var.functions) : runtime => replace(runtime, ".", "-") }
  runtimes = sort(keys(var.functions))
}

resource "aws_dynamodb_table" "seen" {
  name         = "${var.name}-seen"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_sqs_queue" "inbox" {
  for_each = var.functions

  name                       = "${var.name}-${local.slug[each.key]}"
  visibility_timeout_seconds = 30
}

data "aws_iam_policy_document" "lambda_trust" {
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
  assume_role_policy = data.aws_iam_policy_document.lambda_trust.json
}

resource "aws_iam_role_policy" "fn" {
  name = "runtimes"
  role = aws_iam_role.fn.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = aws_dynamodb_table.seen.arn },
      {
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = [for queue in aws_sqs_queue.inbox : queue.arn]
      },
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
    ]
  })
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each = var.functions

  name              = "/aws/lambda/${var.name}-${local.slug[each.key]}"
  retention_in_days = 1
}

resource "aws_lambda_function" "fn" {
  for_each   = var.functions
  depends_on = [aws_iam_role_policy.fn, aws_cloudwatch_log_group.fn]

  function_name    = "${var.name}-${local.slug[each.key]}"
  role             = aws_iam_role.fn.arn
  runtime          = each.key
  handler          = each.value.handler
  filename         = each.value.package
  source_code_hash = filebase64sha256(each.value.package)
  timeout          = 10

  environment {
    variables = { TABLE = aws_dynamodb_table.seen.name }
  }
}

resource "aws_lambda_event_source_mapping" "inbox" {
  for_each = var.functions

  event_source_arn        = aws_sqs_queue.inbox[each.key].arn
  function_name           = aws_lambda_function.fn[each.key].arn
  batch_size              = 1
  function_response_types = ["ReportBatchItemFailures"]
}

resource "aws_apigatewayv2_api" "http" {
  name          = "${var.name}-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "fn" {
  for_each = var.functions

  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn[each.key].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "fn" {
  for_each = var.functions

  api_id    = aws_apigatewayv2_api.http.id
  route_key = "GET /${each.key}"
  target    = "integrations/${aws_apigatewayv2_integration.fn[each.key].id}"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "http" {
  for_each = var.functions

  statement_id  = "http-api"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.fn[each.key].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}

data "aws_iam_policy_document" "states_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["states.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "states" {
  name               = "${var.name}-states"
  assume_role_policy = data.aws_iam_policy_document.states_trust.json
}

resource "aws_iam_role_policy" "states" {
  name = "invoke"
  role = aws_iam_role.states.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "lambda:InvokeFunction", Resource = [for fn in aws_lambda_function.fn : fn.arn] }]
  })
}

# Each runtime's function in turn, as a lambda:invoke task; its answer kept under the runtime's slug.
resource "aws_sfn_state_machine" "each" {
  depends_on = [aws_iam_role_policy.states]

  name     = "${var.name}-each"
  role_arn = aws_iam_role.states.arn
  definition = jsonencode({
    StartAt = local.slug[local.runtimes[0]]
    States = { for index, runtime in local.runtimes : local.slug[runtime] => merge(
      {
        Type     = "Task"
        Resource = "arn:aws:states:::lambda:invoke"
        Parameters = {
          FunctionName = aws_lambda_function.fn[runtime].arn
          Payload = {
            "id.$" = "States.Format('{}-${runtime}', $$.Execution.Name)"
            source = "aws:states"
          }
        }
        ResultSelector = { "runtime.$" = "$.Payload.runtime", "version.$" = "$.Payload.version" }
        ResultPath     = "$.${replace(runtime, ".", "_")}"
      },
      index == length(local.runtimes) - 1 ? { End = true } : { Next = local.slug[local.runtimes[index + 1]] }
    ) }
  })
}

output "function_names" {
  value = { for runtime, fn in aws_lambda_function.fn : runtime => fn.function_name }
}

output "queue_urls" {
  value = { for runtime, queue in aws_sqs_queue.inbox : runtime => queue.url }
}

output "api_id" {
  value = aws_apigatewayv2_api.http.id
}

output "table_name" {
  value = aws_dynamodb_table.seen.name
}

output "state_machine_arn" {
  value = aws_sfn_state_machine.each.arn
}
