# An RDS PostgreSQL instance for a pattern's relational store: encrypted, private, TLS forced, its master
# password in a Secrets Manager secret RDS manages and rotates (functions read it; nobody types it).

resource "aws_db_subnet_group" "this" {
  count = var.network == null ? 0 : 1

  name       = var.name
  subnet_ids = var.network.subnet_ids
  tags       = var.tags
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157: Multi-AZ is var.settings.multi_az (a per-environment cost decision; prod sets it)
  #checkov:skip=CKV_AWS_118: enhanced monitoring needs a monitoring role per account; CloudWatch's RDS metrics and the exported logs cover the database
  #checkov:skip=CKV_AWS_353: Performance Insights is var.settings.performance_insights (a per-environment cost decision)
  #checkov:skip=CKV_AWS_354: Performance Insights data is encrypted with kms_key_arn when both are set
  #checkov:skip=CKV_AWS_133: backups are var.settings.backup_retention_days (7 by default, 1-35 validated); checkov does not read the object
  #checkov:skip=CKV_AWS_293: deletion protection is var.deletion_protection (the environment's setting: prod protects, tests must destroy)
  #checkov:skip=CKV2_AWS_30: query logging is a parameter group setting; the default group logs errors and the exports carry them
  identifier                          = var.name
  engine                              = "postgres"
  engine_version                      = var.settings.engine_version
  instance_class                      = var.settings.instance_class
  allocated_storage                   = var.settings.allocated_storage_gb
  db_name                             = var.database_name
  username                            = var.master_username
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  storage_encrypted                   = true
  kms_key_id                          = var.kms_key_arn
  publicly_accessible                 = false
  db_subnet_group_name                = var.network == null ? null : aws_db_subnet_group.this[0].name
  vpc_security_group_ids              = var.network == null ? null : var.network.security_group_ids
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  copy_tags_to_snapshot               = true
  backup_retention_period             = var.settings.backup_retention_days
  multi_az                            = var.settings.multi_az
  performance_insights_enabled        = var.settings.performance_insights
  performance_insights_kms_key_id     = var.settings.performance_insights ? var.kms_key_arn : null
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  deletion_protection                 = var.deletion_protection
  skip_final_snapshot                 = !var.deletion_protection
  final_snapshot_identifier           = var.deletion_protection ? "${var.name}-final" : null
  tags                                = var.tags
}

# The proxy reads the master secret as its own role and pools connections; clients log in through it
# with the same credentials, over TLS.
data "aws_iam_policy_document" "proxy_trust" {
  count = var.settings.proxy ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "proxy" {
  count = var.settings.proxy ? 1 : 0

  name               = "${var.name}-proxy"
  assume_role_policy = data.aws_iam_policy_document.proxy_trust[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "proxy" {
  count = var.settings.proxy ? 1 : 0

  statement {
    sid       = "ReadCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.this.master_user_secret[0].secret_arn]
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptCredentials"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "proxy" {
  count = var.settings.proxy ? 1 : 0

  name   = "read-credentials"
  role   = aws_iam_role.proxy[0].id
  policy = data.aws_iam_policy_document.proxy[0].json
}

resource "aws_db_proxy" "this" {
  count = var.settings.proxy ? 1 : 0

  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy[0].arn
  vpc_subnet_ids         = var.network == null ? [] : var.network.subnet_ids
  vpc_security_group_ids = var.network == null ? null : var.network.security_group_ids
  require_tls            = true
  idle_client_timeout    = 1800
  tags                   = var.tags

  auth {
    auth_scheme               = "SECRETS"
    secret_arn                = aws_db_instance.this.master_user_secret[0].secret_arn
    iam_auth                  = "DISABLED"
    client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
  }

  lifecycle {
    precondition {
      condition     = var.network != null
      error_message = "settings.proxy needs network: an RDS Proxy lives in subnets of a VPC."
    }
  }

  depends_on = [aws_iam_role_policy.proxy]
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.settings.proxy ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    max_connections_percent = var.settings.proxy_max_connections_percent
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.settings.proxy ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  target_group_name      = aws_db_proxy_default_target_group.this[0].name
  db_instance_identifier = aws_db_instance.this.identifier
}
