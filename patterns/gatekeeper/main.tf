locals {
  api_keys = var.identity == "api_key"
}

# The authorization service's own data: one item per key, keyed by the key's SHA-256 (never the key).
module "keys" {
  source = "../../modules/table"
  count  = local.api_keys ? 1 : 0

  name                   = "${var.name}-keys"
  hash_key               = "keyId"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

# The guarded service's data: each tenant's documents.
module "documents" {
  source = "../../modules/table"

  name                   = "${var.name}-documents"
  hash_key               = "tenant"
  range_key              = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "authorizer" {
  source = "../../modules/lambda-function"
  count  = local.api_keys ? 1 : 0

  name               = "${var.name}-authorizer"
  description        = "Checks ${var.name}'s API keys and returns a policy for the key's tenant"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "gatekeeper.handler.authorize"
  timeout            = 5
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    KEYS_TABLE              = module.keys[0].table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "ReadKeys", actions = ["dynamodb:GetItem"], resources = [module.keys[0].table_arn] },
  ]
}

module "key_admin" {
  source = "../../modules/lambda-function"
  count  = local.api_keys ? 1 : 0

  name               = "${var.name}-keys"
  description        = "Issues and revokes ${var.name}'s API keys (invoked directly; IAM decides who may)"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "gatekeeper.handler.administer_keys"
  timeout            = 5
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    KEYS_TABLE              = module.keys[0].table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "IssueAndRevokeKeys", actions = ["dynamodb:PutItem", "dynamodb:UpdateItem"], resources = [module.keys[0].table_arn] },
  ]
}

module "service" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-documents"
  description        = "The documents API ${var.name} guards"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "gatekeeper.handler.documents"
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    DOCUMENTS_TABLE         = module.documents.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = [
    { sid = "TenantDocuments", actions = ["dynamodb:Query", "dynamodb:GetItem", "dynamodb:PutItem"], resources = [module.documents.table_arn] },
  ]
}

# The Cognito variant: users sign in to this pool; their tenant is an attribute only admins may set.
resource "aws_cognito_user_pool" "users" {
  count = local.api_keys ? 0 : 1

  name                     = "${var.name}-users"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  deletion_protection      = var.deletion_protection ? "ACTIVE" : "INACTIVE"
  mfa_configuration        = "OPTIONAL"
  tags                     = var.tags

  software_token_mfa_configuration {
    enabled = true
  }

  # A stranger must not be able to join: the tenant is granted, never chosen.
  admin_create_user_config {
    allow_admin_create_user_only = !var.self_sign_up
  }

  password_policy {
    minimum_length    = 12
    require_lowercase = true
    require_uppercase = true
    require_numbers   = true
    require_symbols   = true
  }

  schema {
    name                     = "tenant"
    attribute_data_type      = "String"
    mutable                  = true
    developer_only_attribute = false
    required                 = false

    string_attribute_constraints {
      min_length = 1
      max_length = 63
    }
  }
}

resource "aws_cognito_user_pool_client" "app" {
  count = local.api_keys ? 0 : 1

  name                          = "${var.name}-app"
  user_pool_id                  = aws_cognito_user_pool.users[0].id
  explicit_auth_flows           = ["ALLOW_USER_SRP_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  prevent_user_existence_errors = "ENABLED"
  # Users may not write their own tenant: only an administrator (AdminUpdateUserAttributes) sets it.
  read_attributes  = ["email", "email_verified", "custom:tenant"]
  write_attributes = ["email"]
}
