data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  log_group_name = "/aws/lambda/${var.name}"
  # What `make build` built the package for (tooling/build.py writes it beside the zip); null for a zip made elsewhere.
  built_for_path = "${trimsuffix(var.package_path, ".zip")}.target"
  built_for      = fileexists(local.built_for_path) ? jsondecode(file(local.built_for_path)) : null
  # Lambda hands dead letters and destination records on as the function's role.
  delivery_actions = { sqs = "sqs:SendMessage", sns = "sns:Publish", lambda = "lambda:InvokeFunction", events = "events:PutEvents" }
  async_targets = {
    for sid, arn in {
      DeadLetter       = var.dead_letter_target_arn
      OnSuccessRecords = try(var.async_invocation.on_success_destination_arn, null)
      OnFailureRecords = try(var.async_invocation.on_failure_destination_arn, null)
    } : sid => arn if arn != null
  }
  async_target_statements = [
    for sid, arn in local.async_targets : {
      sid       = sid
      effect    = "Allow"
      actions   = [local.delivery_actions[split(":", arn)[2]]]
      resources = [arn]
    }
  ]
  # Content-addressed, so a new build is a new object and the function's code changes with it.
  package_key = "lambda/${var.name}/${filesha256(var.package_path)}.zip"
  # The services that encrypt what a pattern gives its functions with the environment's key.
  key_services = ["dynamodb", "sqs", "sns", "s3", "secretsmanager", "kinesis"]
}

resource "aws_cloudwatch_log_group" "this" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days); dev keeps days, prod a year
  name              = local.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_s3_object" "package" {
  count = var.code_bucket == null ? 0 : 1

  bucket      = var.code_bucket
  key         = local.package_key
  source      = var.package_path
  source_hash = filemd5(var.package_path)
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117: a VPC is var.vpc: functions reaching a database or cache in one (P23, P24) are attached to it; the others call only AWS APIs
  #checkov:skip=CKV_AWS_272: code signing needs a Signer profile per account; zips are built reproducibly and hashed instead
  #checkov:skip=CKV_AWS_116: failed asynchronous events go to var.async_invocation's on-failure destination or var.dead_letter_target_arn, as the caller chooses; synchronous and polled functions have no asynchronous path
  #checkov:skip=CKV_AWS_115: reserved concurrency is a per-environment setting (reserved_concurrent_executions)
  #checkov:skip=CKV_AWS_173: environment variables hold resource names only; kms_key_arn encrypts them with a customer key where wanted
  function_name                  = var.name
  description                    = var.description
  role                           = aws_iam_role.this.arn
  handler                        = var.handler
  runtime                        = var.runtime
  architectures                  = [var.architecture]
  filename                       = var.code_bucket == null ? var.package_path : null
  s3_bucket                      = var.code_bucket == null ? null : aws_s3_object.package[0].bucket
  s3_key                         = var.code_bucket == null ? null : aws_s3_object.package[0].key
  source_code_hash               = filebase64sha256(var.package_path)
  timeout                        = var.timeout
  memory_size                    = var.memory_size
  reserved_concurrent_executions = var.reserved_concurrent_executions
  kms_key_arn                    = var.kms_key_arn
  tags                           = var.tags

  tracing_config {
    mode = "Active"
  }

  environment {
    # Powertools reads its service name and metrics namespace from here; the caller's values win.
    variables = merge({
      POWERTOOLS_SERVICE_NAME      = var.name
      POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
    }, var.environment)
  }

  dynamic "vpc_config" {
    for_each = var.vpc == null ? [] : [var.vpc]
    content {
      subnet_ids         = vpc_config.value.subnet_ids
      security_group_ids = vpc_config.value.security_group_ids
    }
  }

  dynamic "dead_letter_config" {
    for_each = var.dead_letter_target_arn == null ? [] : [1]
    content {
      target_arn = var.dead_letter_target_arn
    }
  }

  # The log group must exist first, or Lambda creates one without retention.
  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy.this]

  lifecycle {
    # A zip carries wheels for one Python and CPU: deployed on another, it fails at import (or not at all).
    precondition {
      condition     = local.built_for == null || try(local.built_for.runtime == var.runtime && local.built_for.architecture == var.architecture, false)
      error_message = "${var.package_path} was built for ${try("${local.built_for.runtime} on ${local.built_for.architecture}", "another target")}, but this function runs ${var.runtime} on ${var.architecture}: build it for that (python -m tooling.build --runtime ${var.runtime} --architecture ${var.architecture})."
    }
  }
}

resource "aws_lambda_function_event_invoke_config" "this" {
  count = var.async_invocation == null ? 0 : 1

  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.async_invocation.maximum_retry_attempts
  maximum_event_age_in_seconds = var.async_invocation.maximum_event_age_seconds

  dynamic "destination_config" {
    for_each = var.async_invocation.on_success_destination_arn == null && var.async_invocation.on_failure_destination_arn == null ? [] : [1]
    content {
      dynamic "on_success" {
        for_each = var.async_invocation.on_success_destination_arn == null ? [] : [var.async_invocation.on_success_destination_arn]
        content {
          destination = on_success.value
        }
      }
      dynamic "on_failure" {
        for_each = var.async_invocation.on_failure_destination_arn == null ? [] : [var.async_invocation.on_failure_destination_arn]
        content {
          destination = on_failure.value
        }
      }
    }
  }
}
