variable "name" {
  description = "Prefix for every resource of this pattern; the bucket is <name>-site, so it must be unique in S3 (for example acme-prod-board)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}

variable "site_dir" {
  description = "Folder of the built app (index.html at its root), served under /ui/; null uploads the example app in this module's site/. The app calls its API at /api/ on its own origin."
  type        = string
  default     = null

  validation {
    condition     = var.site_dir == null ? true : fileexists("${var.site_dir}/index.html")
    error_message = "site_dir must be a folder with index.html at its root."
  }
}

variable "throttling" {
  description = "Requests per second (steady and burst) every API route takes: the public board's bound on what browsers send."
  type = object({
    rate_limit  = number
    burst_limit = number
  })
  default = {
    rate_limit  = 50
    burst_limit = 100
  }
  nullable = false

  validation {
    condition     = var.throttling.rate_limit > 0 && var.throttling.burst_limit >= 1
    error_message = "throttling.rate_limit must be positive and throttling.burst_limit at least 1."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups of the messages table."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the messages table from deletion. The site's files are Terraform's own, so a destroy removes them and the bucket either way."
  type        = bool
  default     = false
}
