# The scheduled report (report_triggers.schedule): at each firing EventBridge Scheduler sends the reporter's
# queue a request for one day, as the scheduler role; the reporter queries that day as it queries an uploaded
# one, so a failed scheduled report is recorded, retried and kept like any other. A delivery Scheduler cannot
# make (the queue refusing) is retried by Scheduler, then kept in the queue's dead-letter queue.

locals {
  schedule = var.report_triggers.schedule
}

resource "aws_scheduler_schedule_group" "reports" {
  count = local.schedule == null ? 0 : 1

  name = var.name
  tags = var.tags
}

resource "aws_scheduler_schedule" "report" {
  #checkov:skip=CKV_AWS_297: the payload is a request for a date, nothing confidential; Scheduler encrypts it with an AWS owned key
  count = local.schedule == null ? 0 : 1

  name                         = "${var.name}-report"
  group_name                   = aws_scheduler_schedule_group.reports[0].name
  description                  = "Reports the day ${local.schedule.days_back} day(s) before each firing (${local.schedule.timezone})"
  schedule_expression          = local.schedule.expression
  schedule_expression_timezone = local.schedule.timezone

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = module.ingested.queue_arn
    role_arn = aws_iam_role.scheduler[0].arn
    # Scheduler fills in <aws.scheduler.scheduled-time> (UTC) at each firing, matching the text as written:
    # jsonencode writes < and > as \u003c and \u003e, which Scheduler would pass on unreplaced.
    input = replace(replace(jsonencode({
      scheduledReport = {
        scheduledTime = "<aws.scheduler.scheduled-time>"
        timezone      = local.schedule.timezone
        daysBack      = local.schedule.days_back
      }
    }), "\\u003c", "<"), "\\u003e", ">")

    retry_policy {
      maximum_event_age_in_seconds = 86400
      maximum_retry_attempts       = 185
    }

    dead_letter_config {
      arn = module.ingested.dlq_arn
    }
  }
}

# Scheduler assumes the role for this account's schedule group only (AWS's confused-deputy guidance: the
# group's ARN, not the schedule's).
data "aws_iam_policy_document" "scheduler_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:scheduler:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:schedule-group/${var.name}"]
    }
  }
}

resource "aws_iam_role" "scheduler" {
  count = local.schedule == null ? 0 : 1

  name               = "${var.name}-scheduler"
  assume_role_policy = data.aws_iam_policy_document.scheduler_trust.json
  tags               = var.tags
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "RequestReports"
    actions   = ["sqs:SendMessage"]
    resources = [module.ingested.queue_arn, module.ingested.dlq_arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "QueueKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "scheduler" {
  count = local.schedule == null ? 0 : 1

  name   = "least-privilege"
  role   = aws_iam_role.scheduler[0].id
  policy = data.aws_iam_policy_document.scheduler.json
}

# Scheduler could not deliver a request, nor keep it in the dead-letter queue (the role or the key refused
# both): no report comes, and nothing else would say so. Always on, as the dead-letter queues' alarms are.
resource "aws_cloudwatch_metric_alarm" "schedule_undelivered" {
  for_each = local.schedule == null ? toset([]) : toset(["InvocationDroppedCount", "InvocationsFailedToBeSentToDeadLetterCount"])

  alarm_name          = "${var.name}-schedule-${each.key == "InvocationDroppedCount" ? "dropped" : "undeliverable"}"
  alarm_description   = "${var.name}'s scheduled report requests are lost (${each.key}): check the scheduler role, its trust and the queues' key."
  namespace           = "AWS/Scheduler"
  metric_name         = each.key
  dimensions          = { ScheduleGroup = aws_scheduler_schedule_group.reports[0].name }
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
