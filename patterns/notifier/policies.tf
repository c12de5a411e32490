# Who may publish to the topic and subscribe to it: the topic policy, and what a publisher's role needs.

data "aws_iam_policy_document" "topic" {
  statement {
    sid = "OwnerManagesAndSubscribes"
    actions = ["SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission",
    "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic"]
    resources = [aws_sns_topic.this.arn]
    principals {
      type        = "AWS"
      identifiers = [local.account_root]
    }
  }

  dynamic "statement" {
    for_each = length(local.publisher_principals) > 0 ? [1] : []
    content {
      sid       = "NamedPublishers"
      actions   = ["SNS:Publish"]
      resources = [aws_sns_topic.this.arn]
      principals {
        type        = "AWS"
        identifiers = local.publisher_principals
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.publisher_services) > 0 ? [1] : []
    content {
      sid       = "PublisherServicesOfThisAccount"
      actions   = ["SNS:Publish"]
      resources = [aws_sns_topic.this.arn]
      principals {
        type        = "Service"
        identifiers = var.publisher_services
      }
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [local.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.subscriber_accounts) > 0 ? [1] : []
    content {
      sid       = "NamedSubscriberAccounts"
      actions   = ["SNS:Subscribe"]
      resources = [aws_sns_topic.this.arn]
      principals {
        type        = "AWS"
        identifiers = [for account in var.subscriber_accounts : "arn:${data.aws_partition.current.partition}:iam::${account}:root"]
      }
      condition {
        test     = "StringEquals"
        variable = "sns:Protocol"
        values   = var.subscription_protocols
      }
    }
  }

  # Within this account IAM alone would let any principal with sns:Publish in; this makes the
  # publisher list the whole truth. {"AWS": "*"} names AWS services too, and they carry no
  # aws:PrincipalArn: the Deny leaves them to the publisher_services statement above.
  dynamic "statement" {
    for_each = var.deny_unlisted_publishers ? [1] : []
    content {
      sid       = "OnlyNamedPublishers"
      effect    = "Deny"
      actions   = ["SNS:Publish"]
      resources = [aws_sns_topic.this.arn]
      principals {
        type        = "AWS"
        identifiers = ["*"]
      }
      condition {
        test     = "Bool"
        variable = "aws:PrincipalIsAWSService"
        values   = ["false"]
      }
      dynamic "condition" {
        for_each = length(local.publisher_arns) > 0 ? [1] : []
        content {
          test     = "StringNotLike"
          variable = "aws:PrincipalArn"
          values   = local.publisher_arns
        }
      }
      dynamic "condition" {
        for_each = length(local.publisher_accounts) > 0 ? [1] : []
        content {
          test     = "StringNotEquals"
          variable = "aws:PrincipalAccount"
          values   = local.publisher_accounts
        }
      }
    }
  }

  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["SNS:Publish", "SNS:Subscribe"]
    resources = [aws_sns_topic.this.arn]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# What a publisher's role needs (attach it in the publisher's account).
data "aws_iam_policy_document" "publisher" {
  statement {
    sid       = "Publish"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]
  }

  statement {
    sid       = "TopicKey"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [module.topic_key.key_arn]
  }
}
