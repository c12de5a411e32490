# The migration step: a function in the database's network that brings the schema and the database users
# up to date as the master user, invoked by Terraform at apply whenever its code, the users or the
# instance change. Functions serving requests log in as those users (output user_secret_arns), whose
# grants the migration declares; none of them logs in as the master user or changes the schema.

resource "aws_secretsmanager_secret" "user" {
  #checkov:skip=CKV2_AWS_57: the migration sets these passwords; rotating them needs a rotation function per user (not in the library yet). RDS rotates the master's
  #checkov:skip=CKV_AWS_149: encrypted with kms_key_arn when given; Secrets Manager encrypts with its AWS managed key otherwise
  for_each = var.users

  # A prefix: a protected secret's name stays taken for its recovery window after it is deleted.
  name_prefix             = "${var.name}/${each.key}-"
  description             = "Credentials of ${var.name}'s database user ${each.key} (JSON: username, password), put there by its migration"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = var.deletion_protection ? 30 : 0
  tags                    = var.tags
}

locals {
  user_secret_arns = { for user, secret in aws_secretsmanager_secret.user : user => secret.arn }
}

module "migration" {
  source = "../lambda-function"
  count  = var.migration == null ? 0 : 1

  name               = "${var.name}-migrate"
  description        = "Brings ${var.name}'s schema and database users up to date (run by Terraform at apply)"
  package_path       = var.migration.package_path
  code_bucket        = var.migration.code_bucket
  handler            = var.migration.handler
  timeout            = var.migration.timeout_seconds
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  vpc                = var.network
  tags               = var.tags
  environment = {
    DB_HOST         = aws_db_instance.this.address
    DB_PORT         = tostring(aws_db_instance.this.port)
    DB_NAME         = aws_db_instance.this.db_name
    DB_SECRET_ARN   = aws_db_instance.this.master_user_secret[0].secret_arn
    DB_TLS          = "require"
    DB_USER_SECRETS = jsonencode(local.user_secret_arns)
  }
  policy_statements = concat(
    [
      { sid = "MasterCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [aws_db_instance.this.master_user_secret[0].secret_arn] },
      { sid = "GeneratePasswords", actions = ["secretsmanager:GetRandomPassword"], resources = ["*"] },
    ],
    length(var.users) == 0 ? [] : [
      { sid = "UserCredentials", actions = ["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"], resources = values(local.user_secret_arns) },
    ],
  )
}

resource "aws_lambda_invocation" "migrate" {
  count = var.migration == null ? 0 : 1

  function_name = module.migration[0].function_name
  input         = jsonencode({ users = sort(tolist(var.users)) })

  triggers = {
    package  = filebase64sha256(var.migration.package_path)
    handler  = var.migration.handler
    instance = aws_db_instance.this.resource_id
    secrets  = jsonencode(local.user_secret_arns)
  }
}
