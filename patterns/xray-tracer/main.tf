# P28 xray-tracer: one order, one trace. POST /orders runs through a traced REST stage into the checkout
# function, which asks the stock service over HTTP, stores the order in DynamoDB and publishes it to an
# SNS topic with active tracing; the topic delivers to a queue, whose consumer marks the order fulfilled.
# The account's sampling rule for this API and a group of its faulty traces come with it (tracing.tf).

locals {
  visibility_timeout = 6 * var.fulfil_timeout_seconds
}

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

# AWS managed SNS key unless a customer managed one is given (whose policy admits SNS: modules/kms-key).
resource "aws_sns_topic" "orders" {
  name              = "${var.name}-orders"
  kms_master_key_id = coalesce(var.kms_key_arn, "alias/aws/sns")
  tracing_config    = "Active"
  tags              = var.tags
}

module "fulfilment_queue" {
  source = "../../modules/subscribed-queue"

  name                       = "${var.name}-fulfilment"
  topic_arn                  = aws_sns_topic.orders.arn
  raw_message_delivery       = true
  visibility_timeout_seconds = local.visibility_timeout
  max_receive_count          = var.max_receive_count
  kms_key_arn                = var.kms_key_arn
  alarms                     = var.alarms
  tags                       = var.tags
}

module "checkout" {
  source = "../../modules/lambda-function"

  name         = "${var.name}-checkout"
  description  = "POST /orders of ${var.name}: stock check over HTTP, the order stored and published"
  package_path = var.package_path
  code_bucket  = var.code_bucket
  handler      = "xray_tracer.handler.checkout"
  # The stock call's timeout bounds each of its socket operations (connect, the answer, the body): three of
  # them, the table and the topic fit inside.
  timeout = ceil(3 * var.stock_service.timeout_ms / 1000) + 5
  environment = {
    TABLE_NAME              = module.orders.table_name
    TOPIC_ARN               = aws_sns_topic.orders.arn
    STOCK_SERVICE_URL       = var.stock_service.url
    STOCK_TIMEOUT_MS        = tostring(var.stock_service.timeout_ms)
    POWERTOOLS_SERVICE_NAME = "${var.name}-checkout"
  }
  reserved_concurrent_executions = var.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  policy_statements = [
    # DeleteItem takes back an order SNS would not take (conditional on PLACED).
    { sid = "StoreNewOrders", actions = ["dynamodb:PutItem", "dynamodb:DeleteItem"], resources = [module.orders.table_arn] },
    { sid = "PublishOrders", actions = ["sns:Publish"], resources = [aws_sns_topic.orders.arn] },
  ]
}

module "fulfil" {
  source = "../../modules/sqs-consumer"

  name                             = "${var.name}-fulfil"
  description                      = "Marks each published order of ${var.name} fulfilled"
  package_path                     = var.package_path
  code_bucket                      = var.code_bucket
  handler                          = "xray_tracer.handler.fulfil"
  timeout                          = var.fulfil_timeout_seconds
  queue_visibility_timeout_seconds = local.visibility_timeout
  queue_arn                        = module.fulfilment_queue.queue_arn
  batch_size                       = 10
  log_retention_days               = var.log_retention_days
  kms_key_arn                      = var.kms_key_arn
  alarms                           = var.alarms
  tags                             = var.tags
  environment = {
    TABLE_NAME              = module.orders.table_name
    POWERTOOLS_SERVICE_NAME = "${var.name}-fulfil"
  }
  policy_statements = [
    { sid = "FulfilOrders", actions = ["dynamodb:UpdateItem"], resources = [module.orders.table_arn] },
  ]
}
