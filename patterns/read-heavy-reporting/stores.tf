# Where articles live (PostgreSQL on RDS) and where reads are cached (ElastiCache Serverless).

module "database" {
  source = "../../modules/postgres-database"

  name                = var.name
  database_name       = "reports"
  master_username     = "reporter"
  users               = ["article_reader", "article_writer"]
  migration           = { package_path = var.package_path, code_bucket = var.code_bucket, handler = "article_reports.handler.migrate" }
  settings            = var.database
  network             = var.network
  deletion_protection = var.deletion_protection
  log_retention_days  = var.log_retention_days
  kms_key_arn         = var.kms_key_arn
  tags                = var.tags
  alarms              = var.alarms
}

resource "aws_elasticache_serverless_cache" "this" {
  name                     = var.name
  description              = "${var.name}: articles read cache-aside"
  engine                   = var.cache.engine
  major_engine_version     = var.cache.major_engine_version
  kms_key_id               = var.kms_key_arn
  security_group_ids       = var.network.security_group_ids
  subnet_ids               = var.network.subnet_ids
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

# The cache refuses commands beyond its ECPU limit (cache.max_ecpu_per_second): reads fall back to the
# database, writes' invalidations may fail.
resource "aws_cloudwatch_metric_alarm" "cache_throttled" {
  count = var.alarms.enabled ? 1 : 0

  alarm_name          = "${var.name}-cache-throttled"
  alarm_description   = "The cache of ${var.name} throttled commands: raise cache.max_ecpu_per_second."
  namespace           = "AWS/ElastiCache"
  metric_name         = "ThrottledCmds"
  dimensions          = { clusterId = aws_elasticache_serverless_cache.this.name }
  statistic           = "Sum"
  period              = var.alarms.period_seconds
  evaluation_periods  = 1
  threshold           = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarms.actions
  ok_actions          = var.alarms.actions
  tags                = var.tags
}
