data "aws_caller_identity" "current" {}

locals {
  # How X-Ray names the stage's service: "<api name>/<stage>".
  traced_service = "${module.api.rest_api_name}/${module.api.stage_name}"
}

# Which requests the stage traces: this API's share, whatever the account's Default rule says (Lambda
# follows the stage's decision; its own 1/s + 5% applies only to calls that arrive undecided).
resource "aws_xray_sampling_rule" "api" {
  rule_name      = var.name
  priority       = var.sampling.priority
  version        = 1
  reservoir_size = var.sampling.reservoir_per_second
  fixed_rate     = var.sampling.fixed_rate
  url_path       = "*"
  host           = "*"
  http_method    = "*"
  service_type   = "AWS::ApiGateway::Stage"
  service_name   = local.traced_service
  resource_arn   = "*"
  tags           = var.tags
}

# The traces an on-call engineer opens first: this API's faults.
resource "aws_xray_group" "faults" {
  group_name        = "${var.name}-faults"
  filter_expression = "service(id(name: \"${local.traced_service}\", type: \"AWS::ApiGateway::Stage\")) { fault }"
  tags              = var.tags

  insights_configuration {
    insights_enabled      = var.insights_enabled
    notifications_enabled = var.insights_enabled
  }
}

# SNS sends the topic's segments only where X-Ray's resource policy lets it (up to 5 per account and region).
data "aws_iam_policy_document" "sns_sends_segments" {
  statement {
    sid       = "OrdersTopicSendsSegments"
    actions   = ["xray:PutTraceSegments", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["sns.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_sns_topic.orders.arn]
    }
  }
}

resource "aws_xray_resource_policy" "sns" {
  policy_name     = "${var.name}-sns"
  policy_document = data.aws_iam_policy_document.sns_sends_segments.json
}
