# P08 router: producers invoke the router asynchronously with a task; the router hands it, again
# asynchronously, to the function of its type. Every hop keeps what fails: the router's dead-letter
# queue receives tasks of no known type (with the reason), each task type's own dead-letter queue the
# tasks its function kept failing on. Each type records its results in its own table, once per task id.

module "router_dlq" {
  source = "../../modules/dead-letter-queue"

  name        = "${var.name}-router-dlq"
  gave_up     = "the router could not route these tasks (unknown type or malformed; the reason is in each record)"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "task_dlq" {
  source   = "../../modules/dead-letter-queue"
  for_each = var.tasks

  name        = "${var.name}-${each.key}-dlq"
  gave_up     = "the ${each.key} task function kept failing on these tasks"
  kms_key_arn = var.kms_key_arn
  alarms      = var.alarms
  tags        = var.tags
}

module "task_table" {
  source   = "../../modules/table"
  for_each = var.tasks

  name                   = "${var.name}-${each.key}"
  hash_key               = "taskId"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "task" {
  source   = "../../modules/lambda-function"
  for_each = var.tasks

  name         = "${var.name}-${each.key}"
  description  = "Does ${var.name}'s ${each.key} tasks, once per task id"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = each.value.handler
  timeout      = each.value.timeout_seconds
  async_invocation = {
    maximum_retry_attempts     = each.value.maximum_retry_attempts
    maximum_event_age_seconds  = each.value.maximum_event_age_seconds
    on_failure_destination_arn = module.task_dlq[each.key].queue_arn
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    TASK_TYPE  = each.key
    TASK_TABLE = module.task_table[each.key].table_name
  }
  policy_statements = [
    { sid = "OwnTable", actions = ["dynamodb:PutItem", "dynamodb:GetItem"], resources = [module.task_table[each.key].table_arn] },
  ]
}

module "router" {
  source = "../../modules/lambda-function"

  name         = "${var.name}-router"
  description  = "Hands each of ${var.name}'s tasks to the function of its type"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "task_router.handler.route"
  timeout      = var.router.timeout_seconds
  async_invocation = {
    maximum_retry_attempts     = var.router.maximum_retry_attempts
    maximum_event_age_seconds  = var.router.maximum_event_age_seconds
    on_failure_destination_arn = module.router_dlq.queue_arn
  }
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
  environment = {
    ROUTES = jsonencode({ for type, task in module.task : type => task.function_name })
  }
  policy_statements = [
    { sid = "HandToTaskFunctions", actions = ["lambda:InvokeFunction"], resources = [for task in module.task : task.function_arn] },
  ]
}

# What a producer needs, and nothing more: attach it to the producer's role.
data "aws_iam_policy_document" "producer" {
  statement {
    sid       = "InvokeTheRouter"
    actions   = ["lambda:InvokeFunction"]
    resources = [module.router.function_arn]
  }
}
