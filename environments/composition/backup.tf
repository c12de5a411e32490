# AWS Backup of the environment's data where settings.backups asks for it (prod does): every DynamoDB
# table and RDS instance named with the environment's prefix, whatever pattern made it, so a pattern
# added later is backed up without a change here.

data "aws_region" "current" {}

module "backups" {
  source = "../../modules/backup-plan"
  count  = var.settings.backups.enabled ? 1 : 0

  name = local.prefix
  resources = [
    "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${local.prefix}-*",
    "arn:${data.aws_partition.current.partition}:rds:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:db:${local.prefix}-*",
  ]
  schedule            = var.settings.backups.schedule
  retention_days      = var.settings.backups.retention_days
  kms_key_arn         = local.kms_key_arn
  deletion_protection = var.settings.deletion_protection
}
