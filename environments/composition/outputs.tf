output "patterns" {
  description = "Each deployed pattern's outputs, by pattern name (module folder): APIs, queues, topics, tables, functions."
  value = { for pattern, outputs in {
    simple-web-service        = one(module.simple_web_service)
    queue-based-load-leveling = one(module.queue_based_load_leveling)
    fifoer                    = one(module.fifoer)
    big-fan                   = one(module.big_fan)
    distributed-trigger       = one(module.distributed_trigger)
    notifier                  = one(module.notifier)
    pub-sub                   = one(module.pub_sub)
  } : pattern => outputs if local.enabled[pattern] }
}

output "kms_key_arn" {
  description = "The environment's customer managed key (settings.customer_managed_key), else null."
  value       = local.kms_key_arn
}
