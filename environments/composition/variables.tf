variable "environment" {
  description = "Name of this environment; prefixes every resource."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.environment))
    error_message = "environment must be 2-12 lowercase letters or digits."
  }
}

variable "region" {
  description = "AWS region of this environment."
  type        = string
}

variable "lambda_build_dir" {
  description = "Folder of the zips `make build` writes."
  type        = string
  default     = "../../build/lambdas"
}

variable "log_retention_days" {
  description = "Days every function and access log is kept."
  type        = number
}

variable "point_in_time_recovery" {
  description = "Continuous backups of tables."
  type        = bool
}

variable "deletion_protection" {
  description = "Protect tables from deletion."
  type        = bool
}

variable "customer_managed_key" {
  description = "Encrypt tables and logs with a customer managed KMS key of this environment."
  type        = bool
}

variable "reserved_concurrency" {
  description = "Reserved concurrency per API function; -1 leaves them unreserved."
  type        = number
}

variable "api_authorization_type" {
  description = "Authorization of the item API's methods: AWS_IAM or NONE."
  type        = string
}

variable "api_throttling" {
  description = "Stage throttling of the item API."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
}

variable "api_logging_level" {
  description = "API Gateway execution logging: ERROR or INFO."
  type        = string
}

variable "alarms_enabled" {
  description = "Alarm on function errors and throttles and on API 5XX answers."
  type        = bool
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified by alarms (for example the on-call topic)."
  type        = list(string)
  default     = []
}
