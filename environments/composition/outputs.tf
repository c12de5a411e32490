output "simple_web_service" {
  description = "P01: the item API, its functions and table."
  value       = module.simple_web_service
}

output "queue_based_load_leveling" {
  description = "P14: the request API, its queue, dead-letter queue and results table."
  value       = module.queue_based_load_leveling
}

output "fifoer" {
  description = "P13: the FIFO ledger event queue, its dead-letter queue, ledger table and producer policy."
  value       = module.fifoer
}

output "big_fan" {
  description = "P12: the event API, its topic, and each subscriber's queue, dead-letter queue and consumer."
  value       = module.big_fan
}

output "distributed_trigger" {
  description = "P15: the order events rule, trigger, notification topic and each subscribing service's queue."
  value       = module.distributed_trigger
}

output "notifier" {
  description = "P10: the billing events topic, its key, publisher policy and subscriber queues."
  value       = module.notifier
}

output "pub_sub" {
  description = "P11: the uploads and outputs buckets, the notifications topic and each processor's queue."
  value       = module.pub_sub
}
