# Example: P10 with a publisher role in another account, one in this account, and two queues.
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
  description = "Prefix of every resource (the tests pass a unique one)."
  default     = "example-notifier"
}

data "aws_caller_identity" "current" {}

# The billing service of this account: a role that may publish.
resource "aws_iam_role" "billing" {
  name = "${var.name}-billing"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = data.aws_caller_identity.current.account_id } }]
  })
}

resource "aws_iam_role_policy" "billing" {
  role   = aws_iam_role.billing.id
  policy = module.notifier.publisher_policy_json
}

module "notifier" {
  source = "../../patterns/notifier"

  name                = "${var.name}-billing-events"
  publishers          = ["arn:aws:iam::222222222222:role/billing", "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${var.name}-billing"]
  publisher_services  = ["events.amazonaws.com"]
  subscriber_accounts = ["333333333333"]
  queue_subscribers = {
    ledger = {}
    audit  = { raw_message_delivery = false }
  }
  tags = { stack = var.name }
}

output "notifier" {
  value = module.notifier
}

output "billing_role_arn" {
  value = aws_iam_role.billing.arn
}
