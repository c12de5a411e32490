# P23: the API writes customers to DynamoDB; the table's stream carries each change to a consumer that
# copies it into PostgreSQL (RDS), where reports query with SQL. The copy lags by a batch, never goes back.

module "customers" {
  source = "../../modules/table"

  name                   = "${var.name}-customers"
  hash_key               = "id"
  stream_view_type       = "NEW_AND_OLD_IMAGES"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

module "api_function" {
  source = "../../modules/lambda-function"

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
  source = "../../modules/http-api-stage"

  api_id             = aws_apigatewayv2_api.this.id
  name               = var.name
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
}

# The relational copy. Its master password lives in a Secrets Manager secret RDS manages and rotates.
module "replica" {
  source = "../../modules/postgres-database"

  name                = var.name
  database_name       = "reporting"
  master_username     = "replicator"
  settings            = var.replica
  network             = var.network
  deletion_protection = var.deletion_protection
  kms_key_arn         = var.kms_key_arn
  tags                = var.tags
}

moved {
  from = aws_db_instance.replica
  to   = module.replica.aws_db_instance.this
}

moved {
  from = aws_db_subnet_group.this
  to   = module.replica.aws_db_subnet_group.this
}

module "replicator" {
  source = "../../modules/stream-consumer"

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
    DB_HOST                 = module.replica.address
    DB_PORT                 = tostring(module.replica.port)
    DB_NAME                 = module.replica.database_name
    DB_SECRET_ARN           = module.replica.secret_arn
    DB_TLS                  = module.replica.tls_mode
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "ReplicaCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [module.replica.secret_arn] },
  ]
}
