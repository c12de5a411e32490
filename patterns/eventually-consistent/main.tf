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
  alarms                 = var.alarms
}

module "api_function" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-api"
  description        = "Writes and reads ${var.name}'s customers"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "replica_sync.handler.api"
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    CUSTOMERS_TABLE         = module.customers.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Customers", actions = ["dynamodb:UpdateItem", "dynamodb:GetItem"], resources = [module.customers.table_arn] },
  ]
}

# The relational copy. Its master password lives in a Secrets Manager secret RDS manages and rotates; the
# replicator logs in as a user of its own that may only read, insert and update customers.
module "replica" {
  source = "../../modules/postgres-database"

  name                = var.name
  database_name       = "reporting"
  master_username     = "replicator"
  users               = ["customer_replicator"]
  migration           = { package_path = var.package_path, code_bucket = var.code_bucket, handler = "replica_sync.handler.migrate" }
  settings            = var.replica
  network             = var.network
  deletion_protection = var.deletion_protection
  log_retention_days  = var.log_retention_days
  kms_key_arn         = var.kms_key_arn
  tags                = var.tags
  alarms              = var.alarms
}

module "replicator" {
  source = "../../modules/stream-consumer"

  name                       = "${var.name}-replicator"
  description                = "Copies ${var.name}'s customer changes into the relational store"
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  handler                    = "replica_sync.handler.replicator"
  timeout                    = 30
  stream_arn                 = module.customers.table_stream_arn
  batch_size                 = var.replicator.batch_size
  maximum_retry_attempts     = var.replicator.maximum_retry_attempts
  maximum_record_age_seconds = var.replicator.maximum_record_age_seconds
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  vpc                        = var.network
  tags                       = var.tags
  environment = {
    DB_HOST                 = module.replica.connection_address
    DB_PORT                 = tostring(module.replica.connection_port)
    DB_NAME                 = module.replica.database_name
    DB_SECRET_ARN           = module.replica.user_secret_arns["customer_replicator"]
    DB_TLS                  = module.replica.tls_mode
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "ReplicaCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [module.replica.user_secret_arns["customer_replicator"]] },
  ]
}

module "api" {
  source = "../../modules/http-api"

  name        = var.name
  description = "${var.name}: customers, copied into a relational store for reports"
  integrations = {
    customers = {
      uri                     = module.api_function.invoke_arn
      function_name           = module.api_function.function_name
      permission_statement_id = "CustomerRoutes"
    }
  }
  routes = {
    "PUT /customers/{id}" = "customers"
    "GET /customers/{id}" = "customers"
  }
  authorization_type = var.authorization_type
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
  alarms             = var.alarms
}
