variable "name" {
  description = "Bucket name (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name)) && !can(regex("\\.\\.", var.name))
    error_message = "name must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit."
  }
}

variable "force_destroy" {
  description = "Let terraform destroy delete a bucket that still holds objects (test and scratch environments only)."
  type        = bool
  default     = false
}

variable "noncurrent_version_days" {
  description = "Days a replaced or deleted object's previous version is kept."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_days >= 1
    error_message = "noncurrent_version_days must be at least 1."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key (SSE-KMS with a bucket key); null uses SSE-S3."
  type        = string
  default     = null
}

variable "policy_documents" {
  description = "More bucket policy documents (JSON), merged with the module's TLS-only policy: a bucket has one policy, so whoever else needs a grant (a CloudFront distribution) hands it in here."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "tags" {
  description = "Tags of the bucket."
  type        = map(string)
  default     = {}
  nullable    = false
}
