# P31 single-domain-frontend-backend: one distribution, one domain, for the browser app and its API. The app's
# files come from a private bucket (origin access control), /api/* goes to an HTTP API, so the browser calls
# its API on the page's own origin: no CORS, no preflight. The API's answers reach the browser as the API
# gave them (no custom error pages that would turn an API 404 into the app's page).

locals {
  # One function per operation, each with only the table action it needs.
  operations = {
    list = { route = "GET /api/messages", actions = ["dynamodb:Query"] }
    post = { route = "POST /api/messages", actions = ["dynamodb:PutItem"] }
  }
}

module "messages" {
  source = "../../modules/table"

  name                   = "${var.name}-messages"
  hash_key               = "board"
  range_key              = "posted"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  alarms                 = var.alarms
  tags                   = var.tags
}

module "function" {
  source   = "../../modules/lambda-function"
  for_each = local.operations

  name         = "${var.name}-${each.key}"
  description  = "${each.value.route} of ${var.name}"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "single_domain_frontend_backend.handler.handler"
  environment = {
    TABLE_NAME              = module.messages.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  policy_statements = [{
    sid       = "Messages${title(each.key)}"
    actions   = each.value.actions
    resources = [module.messages.table_arn]
  }]
}

# The board is public: browsers call it unsigned, so its limits are the route throttling and the input rules.
module "api" {
  #checkov:skip=CKV_AWS_309: the board is public by design: browsers call it unsigned, bounded by throttling and input rules
  source = "../../modules/http-api"

  name        = var.name
  description = "${var.name}: the message board's API, served under /api/ of its distribution"
  integrations = {
    for key, operation in module.function : key => {
      uri                     = operation.invoke_arn
      function_name           = operation.function_name
      permission_statement_id = "MessagesRoute"
    }
  }
  routes             = { for key, operation in local.operations : operation.route => key }
  authorization_type = "NONE"
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
}
