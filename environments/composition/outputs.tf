output "patterns" {
  description = "Each deployed pattern's outputs, by pattern name (module folder): APIs, queues, topics, tables, functions."
  value = { for pattern, outputs in {
    simple-web-service          = one(module.simple_web_service)
    queue-based-load-leveling   = one(module.queue_based_load_leveling)
    fifoer                      = one(module.fifoer)
    big-fan                     = one(module.big_fan)
    distributed-trigger         = one(module.distributed_trigger)
    notifier                    = one(module.notifier)
    pub-sub                     = one(module.pub_sub)
    internal-handoff            = one(module.internal_handoff)
    internal-api                = one(module.internal_api)
    router                      = one(module.router)
    event-driven-processing     = one(module.event_driven_processing)
    fan-out-fan-in              = one(module.fan_out_fan_in)
    map-reduce                  = one(module.map_reduce)
    strangler                   = one(module.strangler)
    robust-api                  = one(module.robust_api)
    aggregator                  = one(module.aggregator)
    dynamo-streamer             = one(module.dynamo_streamer)
    gatekeeper                  = one(module.gatekeeper)
    state-machine               = one(module.state_machine)
    saga                        = one(module.saga)
    circuit-breaker             = one(module.circuit_breaker)
    eventbridge-circuit-breaker = one(module.eventbridge_circuit_breaker)
    eventually-consistent       = one(module.eventually_consistent)
    read-heavy-reporting        = one(module.read_heavy_reporting)
  } : pattern => outputs if local.enabled[pattern] }

  precondition {
    condition     = local.reserved_concurrency <= var.settings.account_concurrency_limit - min(100, var.settings.account_concurrency_limit)
    error_message = "The environment reserves ${local.reserved_concurrency} concurrent executions (settings.reserved_concurrent_executions for each function that takes it), but an account with a limit of ${var.settings.account_concurrency_limit} (settings.account_concurrency_limit) keeps 100 unreserved: Lambda would refuse it. Lower the reservation or raise the account's quota."
  }
}

output "kms_key_arn" {
  description = "The environment's customer managed key (settings.customer_managed_key), else null."
  value       = local.kms_key_arn
}
