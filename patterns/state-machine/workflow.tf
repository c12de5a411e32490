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
