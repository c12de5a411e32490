# The inputs every pattern with functions takes the same way: one file, linked into each such pattern's
# folder (patterns/<name>/variables-functions.tf).

variable "package_path" {
  description = "Path of the pattern's Lambda package, the zip `make build` writes (build/lambdas/<pattern>.zip)."
  type        = string
}

variable "code_bucket" {
  description = "Existing S3 bucket in the pattern's region that keeps its functions' code (an artifacts bucket, encrypted, versioned); each package is uploaded there and the functions are created from it, in parallel. null uploads each zip with its function, one at a time."
  type        = string
  default     = null
}

variable "kms_key_arn" {
  description = "Customer managed KMS key for what the pattern keeps and sends (tables, queues, topics, buckets, databases and their secrets), its logs and its functions' environment; null uses AWS managed keys. Its policy must admit the services that use it (modules/kms-key's does)."
  type        = string
  default     = null
}

variable "log_retention_days" {
  description = "Days to keep the functions' and the API's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, ... 3653)."
  }
}
