# P23: the API writes customers to DynamoDB; the table's stream carries each change to a consumer that
# copies it into PostgreSQL (RDS), where reports query with SQL. The copy lags by a batch, never goes back.

module "customers" {
  source = "../table"

  name                   = "${var.name}-customers"
  hash_key               = "id"
  stream_view_type       = "NEW_AND_OLD_IMAGES"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

module "api_function" {
  source = "../lambda-function"

  name               = "${var.name}-api"
  description        = "Writes and reads ${var.name}'s customers"
  package_path       = var.package_path
  handler            = "replica_sync.handlers.api"
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    CUSTOMERS_TABLE         = module.customers.name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Customers", actions = ["dynamodb:UpdateItem", "dynamodb:GetItem"], resources = [module.customers.arn] },
  ]
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "${var.name}: customers, copied into a relational store for reports"
  protocol_type = "HTTP"
  tags          = var.tags
}

resource "aws_apigatewayv2_integration" "this" {
  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = module.api_function.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  for_each = toset(["PUT /customers/{id}", "GET /customers/{id}"])

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.this.id}"
  authorization_type = var.authorization_type
}

resource "aws_lambda_permission" "api" {
  statement_id  = "CustomerRoutes"
  action        = "lambda:InvokeFunction"
  function_name = module.api_function.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.this.execution_arn}/*/*"
}

module "stage" {
  source = "../http-api-stage"

  api_id             = aws_apigatewayv2_api.this.id
  name               = var.name
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}

resource "aws_db_subnet_group" "this" {
  count = var.network == null ? 0 : 1

  name       = var.name
  subnet_ids = var.network.subnet_ids
  tags       = var.tags
}

# The relational copy. Its master password lives in a Secrets Manager secret RDS manages and rotates.
resource "aws_db_instance" "replica" {
  #checkov:skip=CKV_AWS_157: Multi-AZ is var.replica.multi_az (a per-environment cost decision; prod sets it)
  #checkov:skip=CKV_AWS_118: enhanced monitoring needs a monitoring role per account; CloudWatch's RDS metrics and the exported logs cover the copy
  #checkov:skip=CKV_AWS_353: Performance Insights is var.replica.performance_insights (a per-environment cost decision)
  #checkov:skip=CKV_AWS_354: Performance Insights data is encrypted with kms_key_arn when both are set
  #checkov:skip=CKV_AWS_133: backups are var.replica.backup_retention_days (7 by default, 1-35 validated); checkov does not read the object
  #checkov:skip=CKV_AWS_293: deletion protection is var.deletion_protection (the environment's setting: prod protects, tests must destroy)
  #checkov:skip=CKV2_AWS_30: query logging is a parameter group setting; the default group logs errors and the exports carry them
  identifier                          = var.name
  engine                              = "postgres"
  engine_version                      = var.replica.engine_version
  instance_class                      = var.replica.instance_class
  allocated_storage                   = var.replica.allocated_storage_gb
  db_name                             = "reporting"
  username                            = "replicator"
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
  backup_retention_period             = var.replica.backup_retention_days
  multi_az                            = var.replica.multi_az
  performance_insights_enabled        = var.replica.performance_insights
  performance_insights_kms_key_id     = var.replica.performance_insights ? var.kms_key_arn : null
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  deletion_protection                 = var.deletion_protection
  skip_final_snapshot                 = !var.deletion_protection
  final_snapshot_identifier           = var.deletion_protection ? "${var.name}-final" : null
  tags                                = var.tags
}

module "replicator" {
  source = "../stream-consumer"

  name                       = "${var.name}-replicator"
  description                = "Copies ${var.name}'s customer changes into the relational store"
  package_path               = var.package_path
  handler                    = "replica_sync.handlers.replicator"
  timeout                    = 30
  stream_arn                 = module.customers.stream_arn
  batch_size                 = var.replicator.batch_size
  maximum_retry_attempts     = var.replicator.maximum_retry_attempts
  maximum_record_age_seconds = var.replicator.maximum_record_age_seconds
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  vpc                        = var.network
  tags                       = var.tags
  environment = {
    DB_HOST                 = aws_db_instance.replica.address
    DB_PORT                 = tostring(aws_db_instance.replica.port)
    DB_NAME                 = aws_db_instance.replica.db_name
    DB_SECRET_ARN           = aws_db_instance.replica.master_user_secret[0].secret_arn
    DB_TLS                  = "require"
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "ReplicaCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [aws_db_instance.replica.master_user_secret[0].secret_arn] },
  ]
}
