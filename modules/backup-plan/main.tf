# AWS Backup for an environment's data: a vault on the environment's key, a plan that backs up on a
# schedule and keeps each recovery point for a number of days, and a selection of the resources it
# protects, by ARN (wildcards allowed), backed up as a role only AWS Backup of this account may assume.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

resource "aws_backup_vault" "this" {
  name          = var.name
  kms_key_arn   = var.kms_key_arn
  force_destroy = !var.deletion_protection
  tags          = var.tags
}

resource "aws_backup_plan" "this" {
  name = var.name
  tags = var.tags

  rule {
    rule_name         = "scheduled"
    target_vault_name = aws_backup_vault.this.name
    schedule          = var.schedule
    start_window      = 60
    completion_window = 360

    lifecycle {
      delete_after = var.retention_days
    }
  }
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-backup"
  assume_role_policy = data.aws_iam_policy_document.trust.json
  tags               = var.tags
}

# AWS's own policies for the role AWS Backup uses: they follow the services Backup supports.
resource "aws_iam_role_policy_attachment" "this" {
  for_each = toset(["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"])

  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/${each.key}"
}

resource "aws_backup_selection" "this" {
  name         = var.name
  plan_id      = aws_backup_plan.this.id
  iam_role_arn = aws_iam_role.this.arn
  resources    = var.resources

  depends_on = [aws_iam_role_policy_attachment.this]
}
