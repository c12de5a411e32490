locals {
  # One function per task, each allowed only the table actions it needs.
  tasks = {
    validate       = { handler = "validate", description = "Validates an order and records it", actions = ["dynamodb:PutItem"], table = "orders" }
    check-stock    = { handler = "check_stock", description = "Checks stock for every line of an order", actions = ["dynamodb:BatchGetItem"], table = "inventory" }
    score-risk     = { handler = "score_risk", description = "Scores an order's risk", actions = [], table = null }
    pack-item      = { handler = "pack_item", description = "Adds one line of an order to its pick list", actions = ["dynamodb:PutItem"], table = "orders" }
    record-outcome = { handler = "record_outcome", description = "Records an order's final status", actions = ["dynamodb:UpdateItem"], table = "orders" }
  }
  tables    = { orders = module.orders, inventory = module.inventory }
  functions = { for task, _ in local.tasks : task => module.task[task].function_arn }
  # Lambda's own transient errors: retried on every task, as AWS recommends.
  lambda_retry = {
    ErrorEquals     = ["Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"]
    IntervalSeconds = 1, MaxAttempts = 3, BackoffRate = 2
  }
}

module "orders" {
  source = "../../modules/table"

  name                   = "${var.name}-orders"
  hash_key               = "pk"
  range_key              = "sk"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "inventory" {
  source = "../../modules/table"

  name                   = "${var.name}-inventory"
  hash_key               = "sku"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "task" {
  source   = "../../modules/lambda-function"
  for_each = local.tasks

  name               = "${var.name}-${each.key}"
  description        = "${each.value.description} (${var.name})"
  package_path       = var.package_path
  code_bucket        = var.code_bucket
  handler            = "order_workflow.handler.${each.value.handler}"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    ORDERS_TABLE            = module.orders.table_name
    INVENTORY_TABLE         = module.inventory.table_name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = each.value.table == null ? [] : [
    { sid = "Task", actions = each.value.actions, resources = [local.tables[each.value.table].table_arn] },
  ]
}
