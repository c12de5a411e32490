data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

locals {
  account_root = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"
  # Services that deliver within the account (SNS into encrypted queues, S3 and EventBridge into
  # encrypted topics and queues, CloudWatch alarms into encrypted topics) act as themselves.
  delivering_services = distinct(concat(
    ["sns.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com", "cloudwatch.amazonaws.com"],
    var.additional_services,
  ))
}

# Services that use the key on behalf of principals of this account (DynamoDB, Lambda, SQS, SNS)
# are authorized through IAM; CloudWatch Logs encrypts as itself and needs a key policy grant.
data "aws_iam_policy_document" "this" {
  #checkov:skip=CKV_AWS_109: a key policy's "*" resource is this key alone; the account administers it through IAM, as AWS's default key policy does
  #checkov:skip=CKV_AWS_111: a key policy's "*" resource is this key alone; CloudWatch Logs is constrained to this account's log groups
  #checkov:skip=CKV_AWS_356: a key policy's "*" resource is this key alone, not every resource
  statement {
    sid       = "AccountAdministersKeyThroughIam"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  statement {
    sid       = "CloudWatchLogsOfThisAccount"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }

  # Services delivering on this account's behalf are not principals of it: they need a key policy grant.
  statement {
    sid       = "ServicesDeliveringWithinThisAccount"
    actions   = ["kms:GenerateDataKey*", "kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = local.delivering_services
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = ["*"]
      principals {
        type        = statement.value.principals.type
        identifiers = statement.value.principals.identifiers
      }
      dynamic "condition" {
        for_each = statement.value.conditions
        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = coalesce(var.description, "Customer managed key of ${var.name}")
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
