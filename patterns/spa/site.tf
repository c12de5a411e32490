# The site's files (modules/site-files: content types, a year for hashed names, no-cache for the rest).

locals {
  site_dir = coalesce(var.site_dir, "${path.module}/site")
}

module "files" {
  source = "../../modules/site-files"

  bucket_name = module.site.bucket_name
  source_dir  = local.site_dir
  exclude     = ["config.json"]
  tags        = var.tags
}

# What the app is told at run time: where its backend is.
resource "aws_s3_object" "config" {
  bucket        = module.site.bucket_name
  key           = "config.json"
  content       = jsonencode({ apiUrl = var.api_url })
  content_type  = "application/json"
  cache_control = "no-cache"
  tags          = var.tags
}
