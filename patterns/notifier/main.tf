data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id   = data.aws_caller_identity.current.account_id
  account_root = "arn:${data.aws_partition.current.partition}:iam::${local.account_id}:root"
  # Publishers are principal ARNs or whole accounts (12-digit ids).
  publisher_accounts = [for p in var.publishers : p if can(regex("^[0-9]{12}$", p))]
  publisher_arns     = [for p in var.publishers : p if !can(regex("^[0-9]{12}$", p))]
  publisher_principals = concat(
    local.publisher_arns,
    [for account in local.publisher_accounts : "arn:${data.aws_partition.current.partition}:iam::${account}:root"],
  )
}

# The topic's own key: publishers in other accounts can use it (an AWS managed key cannot be shared).
module "topic_key" {
  source = "../../modules/kms-key"

  name                = "${var.name}-topic"
  description         = "Key of the ${var.name} notifier topic"
  additional_services = var.publisher_services
  policy_statements = length(local.publisher_principals) == 0 ? [] : [{
    sid        = "PublishersThroughSns"
    actions    = ["kms:GenerateDataKey*", "kms:Decrypt"]
    principals = { type = "AWS", identifiers = local.publisher_principals }
    conditions = [{ test = "StringEquals", variable = "kms:ViaService", values = ["sns.${data.aws_region.current.name}.amazonaws.com"] }]
  }]
  tags = var.tags
}

resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = module.topic_key.key_arn
  tags              = var.tags
}

# Queues of this account that subscribe through the module (others subscribe themselves).
module "queue_subscriber" {
  source   = "../../modules/subscribed-queue"
  for_each = var.queue_subscribers

  name                 = "${var.name}-${each.key}"
  topic_arn            = aws_sns_topic.this.arn
  filter_policy        = each.value.filter_policy
  filter_policy_scope  = each.value.filter_policy_scope
  raw_message_delivery = each.value.raw_message_delivery
  kms_key_arn          = var.queue_kms_key_arn
  alarms               = var.alarms
  tags                 = var.tags

  depends_on = [aws_sns_topic_policy.this]
}

# SNS could not deliver to a subscriber (a queue gone, a policy changed): someone should know.
resource "aws_cloudwatch_metric_alarm" "delivery_failures" {
  alarm_name          = "${var.name}-delivery-failures"
  alarm_description   = "${var.name} could not deliver notifications to a subscriber: check its subscriptions and their DLQs."
  namespace           = "AWS/SNS"
  metric_name         = "NumberOfNotificationsFailed"
  dimensions          = { TopicName = aws_sns_topic.this.name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
