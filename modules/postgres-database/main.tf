# An RDS PostgreSQL instance for a pattern's relational store: encrypted, private, TLS forced, its master
# password in a Secrets Manager secret RDS manages and rotates (the migration reads it; nobody types it),
# and functions logging in as least-privilege users the migration creates (migration.tf).

resource "aws_db_subnet_group" "this" {
  count = var.network == null ? 0 : 1

  name       = var.name
  subnet_ids = var.network.subnet_ids
  tags       = var.tags
}

locals {
  log_exports = ["postgresql", "upgrade"]
}

# RDS creates the groups its exports write to (never expiring, on no key) unless they exist: the module
# creates them first, with the environment's retention and key.
resource "aws_cloudwatch_log_group" "exports" {
  #checkov:skip=CKV_AWS_338: retention is a per-environment setting (log_retention_days)
  #checkov:skip=CKV_AWS_158: encrypted with kms_key_arn when given; CloudWatch Logs encrypts at rest with its own key otherwise
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# TLS forced whatever the engine's default (RDS forces it from PostgreSQL 15 on: this keeps it so and says
# so in the plan), schema changes and slow statements logged to the postgresql export (the migration sends
# SCRAM verifiers, never passwords, so the DDL log holds none).
resource "aws_db_parameter_group" "this" {
  name_prefix = "${var.name}-"
  family      = "postgres${var.settings.engine_version}"
  description = "${var.name}: TLS forced, DDL and statements slower than a second logged"
  tags        = var.tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  # A slow or failing statement is logged without its bind values (customers' data).
  parameter {
    name  = "log_parameter_max_length"
    value = "0"
  }

  parameter {
    name  = "log_parameter_max_length_on_error"
    value = "0"
  }

  # A new major's family needs a new group (a new name), in place before the instance moves to it.
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157: Multi-AZ is var.settings.multi_az (a per-environment cost decision; prod sets it)
  #checkov:skip=CKV_AWS_118: enhanced monitoring needs a monitoring role per account; CloudWatch's RDS metrics and the exported logs cover the database
  #checkov:skip=CKV_AWS_353: Performance Insights is var.settings.performance_insights (a per-environment cost decision)
  #checkov:skip=CKV_AWS_354: Performance Insights data is encrypted with kms_key_arn when both are set
  #checkov:skip=CKV_AWS_133: backups are var.settings.backup_retention_days (7 by default, 1-35 validated); checkov does not read the object
  #checkov:skip=CKV_AWS_293: deletion protection is var.deletion_protection (the environment's setting: prod protects, tests must destroy)
  identifier                          = var.name
  engine                              = "postgres"
  engine_version                      = var.settings.engine_version
  instance_class                      = var.settings.instance_class
  allocated_storage                   = var.settings.allocated_storage_gb
  max_allocated_storage               = var.settings.max_allocated_storage_gb
  db_name                             = var.database_name
  username                            = var.master_username
  manage_master_user_password         = true
  master_user_secret_kms_key_id       = var.kms_key_arn
  storage_encrypted                   = true
  kms_key_id                          = var.kms_key_arn
  publicly_accessible                 = false
  parameter_group_name                = aws_db_parameter_group.this.name
  db_subnet_group_name                = var.network == null ? null : aws_db_subnet_group.this[0].name
  vpc_security_group_ids              = var.network == null ? null : var.network.security_group_ids
  iam_database_authentication_enabled = true
  auto_minor_version_upgrade          = true
  copy_tags_to_snapshot               = true
  backup_retention_period             = var.settings.backup_retention_days
  multi_az                            = var.settings.multi_az
  performance_insights_enabled        = var.settings.performance_insights
  performance_insights_kms_key_id     = var.settings.performance_insights ? var.kms_key_arn : null
  enabled_cloudwatch_logs_exports     = local.log_exports
  deletion_protection                 = var.deletion_protection
  skip_final_snapshot                 = !var.deletion_protection
  final_snapshot_identifier           = var.deletion_protection ? "${var.name}-final" : null
  tags                                = var.tags

  depends_on = [aws_cloudwatch_log_group.exports]
}
