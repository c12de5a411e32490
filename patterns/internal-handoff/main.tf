# P04 internal handoff: a service function hands work to a worker with InvocationType=Event and
# answers at once; Lambda queues the event, retries the worker on error, and hands an event that
# still fails to the dead-letter queue (an on-failure destination, alarmed). The worker is idempotent
# per order id, as asynchronous events can arrive more than once.

module "dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-dlq"
  gave_up     = "Lambda gave up on these asynchronous events after the worker's retries"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "ledger" {
  source = "../../modules/table"

  name                   = "${var.name}-ledger"
  hash_key               = "customer"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "idempotency" {
  source = "../../modules/table"

  # Records expire after idempotency_hours: a backup of them restores nothing of value.
  name                   = "${var.name}-idempotency"
  hash_key               = "id"
  ttl_attribute          = "expiration"
  point_in_time_recovery = false
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "worker" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-worker"
  description                    = "Credits ${var.name}'s orders handed off to it, once per order id"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "internal_handoff.handler.work"
  timeout                        = var.worker.timeout_seconds
  reserved_concurrent_executions = var.worker.reserved_concurrent_executions
  async_invocation = {
    maximum_retry_attempts     = var.worker.maximum_retry_attempts
    maximum_event_age_seconds  = var.worker.maximum_event_age_seconds
    on_success_destination_arn = var.on_success_destination_arn
    on_failure_destination_arn = module.dlq.queue_arn
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    LEDGER_TABLE      = module.ledger.table_name
    IDEMPOTENCY_TABLE = module.idempotency.table_name
    IDEMPOTENCY_HOURS = tostring(var.idempotency_hours)
  }
  policy_statements = [
    { sid = "Ledger", actions = ["dynamodb:UpdateItem"], resources = [module.ledger.table_arn] },
    { sid = "Idempotency", actions = ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"], resources = [module.idempotency.table_arn] },
  ]
}

module "caller" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-caller"
  description                    = "Validates ${var.name}'s orders and hands them to the worker asynchronously"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "internal_handoff.handler.hand_off"
  timeout                        = var.caller.timeout_seconds
  reserved_concurrent_executions = var.caller.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    TARGET_FUNCTION = module.worker.function_name
  }
  policy_statements = [
    { sid = "HandOffToTheWorker", actions = ["lambda:InvokeFunction"], resources = [module.worker.function_arn] },
  ]
}

# What a service calling the caller needs, and nothing more: attach it to that service's role.
data "aws_iam_policy_document" "invoker" {
  statement {
    sid       = "InvokeTheCaller"
    actions   = ["lambda:InvokeFunction"]
    resources = [module.caller.function_arn]
  }
}
