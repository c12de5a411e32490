# A queue (with its DLQ and alarm) subscribed to a topic: the queue policy admits that topic only,
# and what SNS cannot deliver goes to the DLQ too.

module "queue" {
  source = "../queue"

  name                       = var.name
  visibility_timeout_seconds = var.visibility_timeout_seconds
  message_retention_seconds  = var.message_retention_seconds
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
}

data "aws_iam_policy_document" "from_topic" {
  statement {
    sid       = "FromThisTopicOnly"
    actions   = ["sqs:SendMessage"]
    resources = [module.queue.queue_arn, module.queue.dlq_arn]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [var.topic_arn]
    }
  }
}

resource "aws_sqs_queue_policy" "queue" {
  queue_url = module.queue.queue_url
  policy    = data.aws_iam_policy_document.from_topic.json
}

resource "aws_sqs_queue_policy" "dlq" {
  queue_url = module.queue.dlq_url
  policy    = data.aws_iam_policy_document.from_topic.json
}

resource "aws_sns_topic_subscription" "this" {
  topic_arn            = var.topic_arn
  protocol             = "sqs"
  endpoint             = module.queue.queue_arn
  raw_message_delivery = var.raw_message_delivery
  filter_policy        = var.filter_policy == null ? null : jsonencode(var.filter_policy)
  filter_policy_scope  = var.filter_policy == null ? null : var.filter_policy_scope
  redrive_policy       = jsonencode({ deadLetterTargetArn = module.queue.dlq_arn })

  depends_on = [aws_sqs_queue_policy.queue, aws_sqs_queue_policy.dlq]
}
