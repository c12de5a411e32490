output "simple_web_service" {
  description = "P01: the item API, its functions and table."
  value       = module.simple_web_service
}
