variable "name" {
  description = "Prefix for every resource of this pattern; the bucket is <name>-site, so it must be unique in S3 (for example acme-prod-spa)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "site_dir" {
  description = "Folder of the built app (index.html at its root) to upload; null uploads the example app in this module's site/. A config.json in it is replaced by the one written from api_url."
  type        = string
  default     = null

  validation {
    condition     = var.site_dir == null ? true : fileexists("${var.site_dir}/index.html")
    error_message = "site_dir must be a folder with index.html at its root."
  }
}

variable "api_url" {
  description = "The backend's base URL (for example P01 simple-web-service's invoke_url), written to /config.json for the app and allowed by the content security policy; null: no backend."
  type        = string
  default     = null

  validation {
    condition     = var.api_url == null ? true : can(regex("^https?://[^/]+", var.api_url))
    error_message = "api_url must be an http(s) URL."
  }
}

variable "error_caching_seconds" {
  description = "How long the edge keeps the app page it answered for a missing path (CloudFront's error caching minimum TTL)."
  type        = number
  default     = 10

  validation {
    condition     = var.error_caching_seconds >= 0 && var.error_caching_seconds <= 31536000
    error_message = "error_caching_seconds must be 0-31536000."
  }
}

variable "invalidator" {
  description = "How site changes are invalidated: seconds S3's change notices gather before one invalidation (1-300), paths past which it invalidates \"/*\" instead (a wildcard bills as one path), seconds before a batch CloudFront refused is tried again (null: six times the invalidator's timeout), and tries before a notice goes to the dead-letter queue."
  type = object({
    batching_window_seconds = optional(number, 10)
    max_paths               = optional(number, 50)
    retry_after_seconds     = optional(number)
    max_receive_count       = optional(number, 3)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.invalidator.batching_window_seconds >= 1 && var.invalidator.batching_window_seconds <= 300 && var.invalidator.max_paths >= 1 && var.invalidator.max_paths <= 3000
    error_message = "invalidator.batching_window_seconds must be 1-300 (Lambda needs one to gather more than 10 notices) and invalidator.max_paths 1-3000 (CloudFront's paths in progress)."
  }

  validation {
    condition     = (var.invalidator.retry_after_seconds == null ? true : var.invalidator.retry_after_seconds >= 30 && var.invalidator.retry_after_seconds <= 43200) && var.invalidator.max_receive_count >= 1 && var.invalidator.max_receive_count <= 1000
    error_message = "invalidator.retry_after_seconds must be 30-43200 (at least the invalidator's 30 s timeout) and invalidator.max_receive_count 1-1000."
  }
}

variable "deletion_protection" {
  description = "Keep the site bucket from being destroyed while it holds objects (force_destroy off)."
  type        = bool
  default     = true
}
