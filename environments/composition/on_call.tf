# Alarms reach someone: where alarms are enabled (staging and prod), every alarm of every pattern notifies
# this topic. Who it reaches is the team's (settings.on_call: emails, HTTPS endpoints of a chat or paging
# service). CloudWatch cannot publish into a topic on the AWS managed SNS key, so the topic is on the
# environment's key, or on a key of its own where the environment has none.
locals {
  on_call = var.settings.alarms.enabled
  alarms = merge(var.settings.alarms, {
    actions = concat(var.settings.alarms.actions, aws_sns_topic.on_call[*].arn)
  })
}

module "on_call_key" {
  source = "../../modules/kms-key"
  count  = local.on_call && !var.settings.customer_managed_key ? 1 : 0

  name        = "${local.prefix}-on-call"
  description = "The on-call topic of ${local.prefix}: CloudWatch alarms publish into it."
}

resource "aws_sns_topic" "on_call" {
  count = local.on_call ? 1 : 0

  name              = "${local.prefix}-on-call"
  kms_master_key_id = coalesce(local.kms_key_arn, one(module.on_call_key[*].key_arn))
}

data "aws_iam_policy_document" "on_call" {
  count = local.on_call ? 1 : 0

  statement {
    sid       = "AlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.on_call[0].arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid       = "AccountManagesTheTopic"
    actions   = ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:ListSubscriptionsByTopic"]
    resources = [aws_sns_topic.on_call[0].arn]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_sns_topic_policy" "on_call" {
  count = local.on_call ? 1 : 0

  arn    = aws_sns_topic.on_call[0].arn
  policy = data.aws_iam_policy_document.on_call[0].json
}

resource "aws_sns_topic_subscription" "on_call" {
  for_each = local.on_call ? merge(
    { for email in var.settings.on_call.emails : "email:${email}" => { protocol = "email", endpoint = email } },
    { for url in var.settings.on_call.https_endpoints : "https:${url}" => { protocol = "https", endpoint = url } },
  ) : {}

  topic_arn = aws_sns_topic.on_call[0].arn
  protocol  = each.value.protocol
  endpoint  = each.value.endpoint
}
