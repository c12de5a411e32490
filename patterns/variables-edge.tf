# The inputs every pattern with a CloudFront distribution takes the same way: one file, linked into each such
# pattern's folder (patterns/<name>/variables-edge.tf), so the edge's one interface cannot drift.

variable "domain" {
  description = "A custom domain: the name (an alias of the distribution) and an ACM certificate for it in us-east-1; null serves on the distribution's own *.cloudfront.net name."
  type = object({
    name            = string
    certificate_arn = string
  })
  default = null

  validation {
    condition     = var.domain == null ? true : can(regex("^arn:aws[a-z-]*:acm:us-east-1:", var.domain.certificate_arn))
    error_message = "domain.certificate_arn must be an ACM certificate in us-east-1 (CloudFront takes no other)."
  }
}

variable "price_class" {
  description = "Which edge locations serve the distribution (PriceClass_100, PriceClass_200 or PriceClass_All)."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "geo_restriction" {
  description = "Countries (ISO 3166-1 alpha-2) the distribution serves (whitelist) or refuses (blacklist); none by default."
  type = object({
    type      = optional(string, "none")
    countries = optional(list(string), [])
  })
  default  = {}
  nullable = false

  validation {
    condition     = contains(["none", "whitelist", "blacklist"], var.geo_restriction.type) && (var.geo_restriction.type == "none") == (length(var.geo_restriction.countries) == 0)
    error_message = "geo_restriction.type must be none (with no countries), whitelist or blacklist (with countries)."
  }
}

variable "web_acl_arn" {
  description = "A WAF web ACL (CLOUDFRONT scope, us-east-1) in front of the distribution; null: none."
  type        = string
  default     = null
}

variable "access_logs_bucket" {
  description = "Name of a bucket (ACLs enabled, as CloudFront's standard logs need) for the distribution's access logs; null: no access logs."
  type        = string
  default     = null
}

variable "wait_for_deployment" {
  description = "Wait until the distribution is deployed to every edge location (minutes in AWS) before apply finishes."
  type        = bool
  default     = true
}

# AWS's managed CloudFront policies, by the ids AWS documents (they never change). Not data sources: in a
# module that depends on anything (depends_on), a data source is read only at apply, and the AWS provider
# then fails the distribution with "Provider produced inconsistent final plan".
locals {
  managed_cache_policy = {
    caching_optimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
    caching_disabled  = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  }
  managed_origin_request_policy = {
    all_viewer_except_host_header = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  }
  managed_response_headers_policy = {
    security_headers = "67f7725c-6f97-4210-82d7-5512b31e9d03"
  }
}
