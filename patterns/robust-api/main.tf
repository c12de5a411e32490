# P06 robust API: one HTTP API routing by path and method to three kinds of backend: a Lambda (orders),
# an HTTP backend (partners, proxied with path and query), and SQS directly (events, a service
# integration with no function on the path). A route no backend serves is API Gateway's 404.

module "orders" {
  source = "../../modules/table"

  name                   = "${var.name}-orders"
  hash_key               = "id"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "events" {
  source = "../../modules/queue"

  name              = "${var.name}-events"
  max_receive_count = var.max_receive_count
  kms_key_arn       = var.kms_key_arn
  alarms            = var.alarms
  tags              = var.tags
}

module "orders_function" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-orders"
  description                    = "The orders backend of ${var.name}'s API"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "robust_api.handler.handler"
  timeout                        = var.orders_function.timeout_seconds
  reserved_concurrent_executions = var.orders_function.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    ORDERS_TABLE = module.orders.table_name
  }
  policy_statements = [
    { sid = "Orders", actions = ["dynamodb:GetItem", "dynamodb:PutItem"], resources = [module.orders.table_arn] },
  ]
}

# API Gateway sends to the queue as this role, allowed exactly that.
module "api_role" {
  source = "../../modules/api-gateway-service-role"

  name = var.name
  tags = var.tags
  policy_statements = concat([
    { sid = "SendEvents", actions = ["sqs:SendMessage"], resources = [module.events.queue_arn] },
    ], var.kms_key_arn == null ? [] : [
    { sid = "QueueKey", actions = ["kms:GenerateDataKey", "kms:Decrypt"], resources = [var.kms_key_arn] },
  ])
}

module "api" {
  source = "../../modules/http-api"

  name        = var.name
  description = "${var.name}: orders (Lambda), partners (HTTP backend) and events (SQS) behind one API"
  integrations = {
    orders = {
      uri                     = module.orders_function.invoke_arn
      function_name           = module.orders_function.function_name
      permission_statement_id = "OrdersRoutes"
      timeout_ms              = min(30000, var.orders_function.timeout_seconds * 1000 + 1000)
    }
    partners = {
      type       = "HTTP_PROXY"
      uri        = "${trimsuffix(var.partners_base_url, "/")}/{proxy}"
      timeout_ms = var.partners_timeout_ms
    }
    # SQS directly: a service integration as the API's role, no function on the path.
    events = {
      subtype         = "SQS-SendMessage"
      credentials_arn = module.api_role.role_arn
      request_parameters = {
        QueueUrl    = module.events.queue_url
        MessageBody = "$request.body"
      }
    }
  }
  routes = {
    "GET /orders/{id}"       = "orders"
    "POST /orders"           = "orders"
    "ANY /partners/{proxy+}" = "partners"
    "POST /events"           = "events"
  }
  authorization_type = var.authorization_type
  throttling         = var.throttling
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  tags               = var.tags
  alarms             = var.alarms
}
