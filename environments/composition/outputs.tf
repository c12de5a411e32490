output "patterns" {
  description = "Each deployed pattern's outputs, by pattern name (module folder): APIs, queues, topics, tables, functions."
  value       = { for pattern, outputs in local.pattern_modules : pattern => outputs if local.enabled[pattern] }

  precondition {
    condition     = local.reserved_concurrency <= var.settings.account_concurrency_limit - min(100, var.settings.account_concurrency_limit)
    error_message = "The environment reserves ${local.reserved_concurrency} concurrent executions (settings.reserved_concurrent_executions for each function that takes it), but an account with a limit of ${var.settings.account_concurrency_limit} (settings.account_concurrency_limit) keeps 100 unreserved: Lambda would refuse it. Lower the reservation or raise the account's quota."
  }
}

output "kms_key_arn" {
  description = "The environment's customer managed key (settings.customer_managed_key), else null."
  value       = local.kms_key_arn
}

output "on_call_topic_arn" {
  description = "The topic every alarm notifies where alarms are enabled (subscribe the team through settings.on_call), else null."
  value       = one(aws_sns_topic.on_call[*].arn)
}
