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
}

module "inventory" {
  source = "../../modules/table"

  name                   = "${var.name}-inventory"
  hash_key               = "sku"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
}

module "task" {
  source   = "../../modules/lambda-function"
  for_each = local.tasks

  name               = "${var.name}-${each.key}"
  description        = "${each.value.description} (${var.name})"
  package_path       = var.package_path
  handler            = "order_workflow.tasks.${each.value.handler}"
  timeout            = 10
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    ORDERS_TABLE            = module.orders.name
    INVENTORY_TABLE         = module.inventory.name
    POWERTOOLS_SERVICE_NAME = var.name
  }
  policy_statements = each.value.table == null ? [] : [
    { sid = "Task", actions = each.value.actions, resources = [local.tables[each.value.table].arn] },
  ]
}

module "workflow" {
  source = "../../modules/workflow"

  name                   = var.name
  type                   = var.type
  log_level              = coalesce(var.log_level, var.type == "EXPRESS" ? "ALL" : "ERROR")
  include_execution_data = var.include_execution_data
  log_retention_days     = var.log_retention_days
  kms_key_arn            = var.kms_key_arn
  alarms                 = var.alarms
  tags                   = var.tags
  policy_statements = [
    { sid = "InvokeTasks", actions = ["lambda:InvokeFunction"], resources = values(local.functions) },
  ]
  definition = jsonencode({
    Comment = "Order workflow of ${var.name}: validate, check stock and risk at once, ship, pack each line, confirm"
    StartAt = "Validate"
    States = {
      Validate = {
        Type       = "Task"
        Resource   = local.functions["validate"]
        Parameters = { "order.$" = "$", "execution.$" = "$$.Execution.Id" }
        Retry      = [local.lambda_retry]
        Catch      = [{ ErrorEquals = ["InvalidOrder"], ResultPath = "$.error", Next = "Rejected" }]
        Next       = "Checks"
      }
      Checks = {
        Type = "Parallel"
        Branches = [
          {
            StartAt = "CheckStock"
            States = {
              CheckStock = {
                Type     = "Task"
                Resource = local.functions["check-stock"]
                # A locked stock record frees up: wait and try again. OutOfStock is not retried.
                Retry = [local.lambda_retry, {
                  ErrorEquals     = ["InventoryBusy"]
                  IntervalSeconds = var.retry.interval_seconds
                  BackoffRate     = var.retry.backoff_rate
                  MaxAttempts     = var.retry.max_attempts
                }]
                End = true
              }
            }
          },
          {
            StartAt = "ScoreRisk"
            States = {
              ScoreRisk = { Type = "Task", Resource = local.functions["score-risk"], Retry = [local.lambda_retry], End = true }
            }
          },
        ]
        ResultSelector = { "inStock.$" = "$[0].inStock", "risk.$" = "$[1].risk" }
        ResultPath     = "$.checks"
        Catch          = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "RecordFailure" }]
        Next           = "Review"
      }
      Review = {
        Type    = "Choice"
        Choices = [{ Variable = "$.checks.risk", StringEquals = "high", Next = "HoldForReview" }]
        Default = "Ship"
      }
      Ship = {
        Type    = "Choice"
        Choices = [{ Variable = "$.priority", StringEquals = "express", Next = "ExpressShipping" }]
        Default = "StandardShipping"
      }
      ExpressShipping  = { Type = "Pass", Result = { carrier = "air", days = 1 }, ResultPath = "$.shipping", Next = "PackItems" }
      StandardShipping = { Type = "Pass", Result = { carrier = "ground", days = 4 }, ResultPath = "$.shipping", Next = "PackItems" }
      PackItems = {
        Type           = "Map"
        ItemsPath      = "$.items"
        MaxConcurrency = var.pack_concurrency
        ItemSelector   = { "orderId.$" = "$.orderId", "item.$" = "$$.Map.Item.Value" }
        ItemProcessor = {
          ProcessorConfig = { Mode = "INLINE" }
          StartAt         = "PackItem"
          States = {
            PackItem = { Type = "Task", Resource = local.functions["pack-item"], Retry = [local.lambda_retry], End = true }
          }
        }
        ResultPath = "$.packed"
        Catch      = [{ ErrorEquals = ["States.ALL"], ResultPath = "$.error", Next = "RecordFailure" }]
        Next       = "Confirm"
      }
      Confirm = {
        Type       = "Task"
        Resource   = local.functions["record-outcome"]
        Parameters = { "orderId.$" = "$.orderId", status = "CONFIRMED" }
        Retry      = [local.lambda_retry]
        ResultPath = "$.outcome"
        Next       = "Done"
      }
      Done = { Type = "Succeed" }
      HoldForReview = {
        Type       = "Task"
        Resource   = local.functions["record-outcome"]
        Parameters = { "orderId.$" = "$.orderId", status = "HELD" }
        Retry      = [local.lambda_retry]
        ResultPath = "$.outcome"
        Next       = "Held"
      }
      Held = { Type = "Succeed" }
      RecordFailure = {
        Type       = "Task"
        Resource   = local.functions["record-outcome"]
        Parameters = { "orderId.$" = "$.orderId", status = "FAILED", "error.$" = "$.error" }
        Retry      = [local.lambda_retry]
        ResultPath = "$.outcome"
        Next       = "Failed"
      }
      Failed   = { Type = "Fail", Error = "Order.Failed", Cause = "The order could not be fulfilled: its record names the failure and the reason." }
      Rejected = { Type = "Fail", Error = "Order.Invalid", Cause = "The order is invalid: nothing was recorded or reserved." }
    }
  })
}
