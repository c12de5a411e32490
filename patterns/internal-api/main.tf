# P03 internal API: a service function other functions invoke directly (RequestResponse), with no
# API Gateway in between. Who may call it is IAM's decision alone: an identity policy for callers of
# this account (invoker_policy_json) and the function's resource policy for other accounts.

module "inventory" {
  source = "../../modules/table"

  name                   = "${var.name}-inventory"
  hash_key               = "pk"
  point_in_time_recovery = var.point_in_time_recovery
  deletion_protection    = var.deletion_protection
  kms_key_arn            = var.kms_key_arn
  tags                   = var.tags
  alarms                 = var.alarms
}

module "service" {
  source = "../../modules/lambda-function"

  name                           = "${var.name}-inventory"
  description                    = "${var.name}'s inventory service, invoked directly by the functions allowed to"
  package_path                   = var.package_path
  code_bucket                    = var.code_bucket
  handler                        = "internal_api.handler.serve"
  timeout                        = var.service.timeout_seconds
  memory_size                    = var.service.memory_size
  reserved_concurrent_executions = var.service.reserved_concurrent_executions
  log_retention_days             = var.log_retention_days
  kms_key_arn                    = var.kms_key_arn
  alarms                         = var.alarms
  tags                           = var.tags
  environment = {
    INVENTORY_TABLE = module.inventory.table_name
  }
  # A reservation is one transaction: its stock update and its record (authorized per item action).
  policy_statements = [
    { sid = "Inventory", actions = ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:PutItem"], resources = [module.inventory.table_arn] },
  ]
}

data "aws_partition" "current" {}

# Callers of other accounts: the function's resource policy names them (their own identity policy must
# allow lambda:InvokeFunction on it too, as for every cross-account call). Lambda stores an account id
# as its root ARN, so the principal is written that way: an id would read back different and be
# replaced on every plan (hashicorp/terraform-provider-aws#30722).
resource "aws_lambda_permission" "invoker" {
  for_each = toset(var.invoker_principals)

  statement_id  = "Invoke-${replace(replace(each.value, "/[^A-Za-z0-9]+/", "-"), "/^-+|-+$/", "")}"
  action        = "lambda:InvokeFunction"
  function_name = module.service.function_name
  principal     = can(regex("^[0-9]{12}$", each.value)) ? "arn:${data.aws_partition.current.partition}:iam::${each.value}:root" : each.value
}

# What a calling function of this account needs, and nothing more: attach it to that function's role.
data "aws_iam_policy_document" "invoker" {
  statement {
    sid       = "InvokeTheInventoryService"
    actions   = ["lambda:InvokeFunction"]
    resources = [module.service.function_arn]
  }
}
