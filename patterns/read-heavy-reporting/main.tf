# P24: reads of articles served cache-aside: the cache (ElastiCache Serverless) first, PostgreSQL (RDS)
# only on a miss, which fills the cache for cache.ttl_seconds; a write goes to PostgreSQL and drops the
# entry. Every read also counts a view in DynamoDB, whose stream feeds the ranker keeping the top-N index.

module "views" {
  source = "../../modules/table"

  name                   = "${var.name}-views"
  hash_key               = "articleId"
  stream_view_type       = "NEW_IMAGE"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "index" {
  source = "../../modules/table"

  name                   = "${var.name}-index"
  hash_key               = "board"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

locals {
  database_environment = {
    DB_HOST                 = module.database.connection_address
    DB_PORT                 = tostring(module.database.connection_port)
    DB_NAME                 = module.database.database_name
    DB_TLS                  = module.database.tls_mode
    DB_STATEMENT_TIMEOUT_MS = tostring(var.database_statement_timeout_ms)
    CACHE_HOST              = aws_elasticache_serverless_cache.this.endpoint[0].address
    CACHE_PORT              = tostring(aws_elasticache_serverless_cache.this.endpoint[0].port)
    CACHE_TTL_SECONDS       = tostring(var.cache.ttl_seconds)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  # Each function logs in as its own database user: the reader may only read articles.
  database_user_secrets = module.database.user_secret_arns
}

module "reader" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-reader"
  description        = "Serves ${var.name}'s articles from the cache, the database on a miss, and the most-viewed board"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "article_reports.handler.reader"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  vpc                = var.network
  tags               = var.tags
  environment = merge(local.database_environment, {
    DB_SECRET_ARN = local.database_user_secrets["article_reader"]
    VIEWS_TABLE   = module.views.table_name
    INDEX_TABLE   = module.index.table_name
  })
  policy_statements = [
    { sid = "DatabaseCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [local.database_user_secrets["article_reader"]] },
    { sid = "CountViews", actions = ["dynamodb:UpdateItem"], resources = [module.views.table_arn] },
    { sid = "ReadBoard", actions = ["dynamodb:GetItem"], resources = [module.index.table_arn] },
  ]
}

module "writer" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-writer"
  description        = "Writes ${var.name}'s articles to the database and drops their cache entries"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "article_reports.handler.writer"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  vpc                = var.network
  tags               = var.tags
  environment        = merge(local.database_environment, { DB_SECRET_ARN = local.database_user_secrets["article_writer"] })
  policy_statements = [
    { sid = "DatabaseCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [local.database_user_secrets["article_writer"]] },
  ]
}

module "ranker" {
  source = "../../modules/stream-consumer"

  name                       = "${var.name}-ranker"
  description                = "Keeps ${var.name}'s most-viewed board from the view counters' stream"
  package_path               = var.package_path
  code_bucket                = var.code_bucket
  handler                    = "article_reports.handler.ranker"
  stream_arn                 = module.views.table_stream_arn
  batch_size                 = var.ranker.batch_size
  maximum_retry_attempts     = var.ranker.maximum_retry_attempts
  maximum_record_age_seconds = var.ranker.maximum_record_age_seconds
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
  environment = {
    INDEX_TABLE             = module.index.table_name
    TOP_N                   = tostring(var.top_n)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Board", actions = ["dynamodb:GetItem", "dynamodb:PutItem"], resources = [module.index.table_arn] },
  ]
}

module "api" {
  source = "../../modules/http-api"

  name        = var.name
  description = "${var.name}: articles read through a cache, and the most-viewed board"
  integrations = {
    reader = {
      uri                     = module.reader.invoke_arn
      function_name           = module.reader.function_name
      permission_statement_id = "ArticleRoutes"
    }
    writer = {
      uri                     = module.writer.invoke_arn
      function_name           = module.writer.function_name
      permission_statement_id = "ArticleRoutes"
    }
  }
  routes = {
    "GET /articles/{id}"       = "reader"
    "GET /reports/most-viewed" = "reader"
    "PUT /articles/{id}"       = "writer"
  }
  authorization_type = var.authorization_type
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
  alarms             = var.alarms
}
