# P24: reads of articles served cache-aside: the cache (ElastiCache Serverless) first, PostgreSQL (RDS)
# only on a miss, which fills the cache for cache.ttl_seconds; a write goes to PostgreSQL and drops the
# entry. Every read also counts a view in DynamoDB, whose stream feeds the ranker keeping the top-N index.

module "database" {
  source = "../../modules/postgres-database"

  name                = var.name
  database_name       = "reports"
  master_username     = "reporter"
  settings            = var.database
  network             = var.network
  deletion_protection = var.deletion_protection
  kms_key_arn         = var.kms_key_arn
  tags                = var.tags
}

resource "aws_elasticache_serverless_cache" "this" {
  name                     = var.name
  description              = "${var.name}: articles read cache-aside"
  engine                   = var.cache.engine
  major_engine_version     = var.cache.major_engine_version
  kms_key_id               = var.kms_key_arn
  security_group_ids       = var.network == null ? null : var.network.security_group_ids
  subnet_ids               = var.network == null ? null : var.network.subnet_ids
  snapshot_retention_limit = var.cache.snapshot_retention_limit
  tags                     = var.tags

  cache_usage_limits {
    data_storage {
      maximum = var.cache.max_data_storage_gb
      unit    = "GB"
    }
    ecpu_per_second {
      maximum = var.cache.max_ecpu_per_second
    }
  }
}

module "views" {
  source = "../../modules/table"

  name                   = "${var.name}-views"
  hash_key               = "articleId"
  stream_view_type       = "NEW_IMAGE"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

module "index" {
  source = "../../modules/table"

  name                   = "${var.name}-index"
  hash_key               = "board"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

locals {
  database_environment = {
    DB_HOST                 = module.database.address
    DB_PORT                 = tostring(module.database.port)
    DB_NAME                 = module.database.database_name
    DB_SECRET_ARN           = module.database.secret_arn
    DB_TLS                  = module.database.tls_mode
    DB_STATEMENT_TIMEOUT_MS = tostring(var.database_statement_timeout_ms)
    CACHE_HOST              = aws_elasticache_serverless_cache.this.endpoint[0].address
    CACHE_PORT              = tostring(aws_elasticache_serverless_cache.this.endpoint[0].port)
    CACHE_TTL_SECONDS       = tostring(var.cache.ttl_seconds)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  database_credentials = { sid = "DatabaseCredentials", actions = ["secretsmanager:GetSecretValue"], resources = [module.database.secret_arn] }
}

module "reader" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-reader"
  description        = "Serves ${var.name}'s articles from the cache, the database on a miss, and the most-viewed board"
  package_path       = var.package_path
  handler            = "article_reports.handlers.reader"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  vpc                = var.network
  tags               = var.tags
  environment = merge(local.database_environment, {
    VIEWS_TABLE = module.views.name
    INDEX_TABLE = module.index.name
  })
  policy_statements = [
    local.database_credentials,
    { sid = "CountViews", actions = ["dynamodb:UpdateItem"], resources = [module.views.arn] },
    { sid = "ReadBoard", actions = ["dynamodb:GetItem"], resources = [module.index.arn] },
  ]
}

module "writer" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-writer"
  description        = "Writes ${var.name}'s articles to the database and drops their cache entries"
  package_path       = var.package_path
  handler            = "article_reports.handlers.writer"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  vpc                = var.network
  tags               = var.tags
  environment        = local.database_environment
  policy_statements  = [local.database_credentials]
}

module "ranker" {
  source = "../../modules/stream-consumer"

  name                       = "${var.name}-ranker"
  description                = "Keeps ${var.name}'s most-viewed board from the view counters' stream"
  package_path               = var.package_path
  handler                    = "article_reports.handlers.ranker"
  stream_arn                 = module.views.stream_arn
  batch_size                 = var.ranker.batch_size
  maximum_retry_attempts     = var.ranker.maximum_retry_attempts
  maximum_record_age_seconds = var.ranker.maximum_record_age_seconds
  log_retention_days         = var.log_retention_days
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
  environment = {
    INDEX_TABLE             = module.index.name
    TOP_N                   = tostring(var.top_n)
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "Board", actions = ["dynamodb:GetItem", "dynamodb:PutItem"], resources = [module.index.arn] },
  ]
}

resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  description   = "${var.name}: articles read through a cache, and the most-viewed board"
  protocol_type = "HTTP"
  tags          = var.tags
}

locals {
  routes = {
    "GET /articles/{id}"       = "reader"
    "GET /reports/most-viewed" = "reader"
    "PUT /articles/{id}"       = "writer"
  }
  invoke_arns    = { reader = module.reader.invoke_arn, writer = module.writer.invoke_arn }
  function_names = { reader = module.reader.function_name, writer = module.writer.function_name }
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = local.invoke_arns

  api_id                 = aws_apigatewayv2_api.this.id
  integration_type       = "AWS_PROXY"
  integration_uri        = each.value
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "this" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.this[each.value].id}"
  authorization_type = var.authorization_type
}

resource "aws_lambda_permission" "api" {
  for_each = local.function_names

  statement_id  = "ArticleRoutes"
  action        = "lambda:InvokeFunction"
  function_name = each.value
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
