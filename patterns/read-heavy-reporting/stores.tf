# Where articles live (PostgreSQL on RDS) and where reads are cached (ElastiCache Serverless).

module "database" {
  source = "../../modules/postgres-database"

  name                = var.name
  database_name       = "reports"
  master_username     = "reporter"
  settings            = var.database
  network             = var.network
  deletion_protection = var.deletion_protection
  log_retention_days  = var.log_retention_days
  kms_key_arn         = var.kms_key_arn
  tags                = var.tags
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
