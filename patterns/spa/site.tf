# The site's files, uploaded with the content type and caching each needs: a file whose name carries a
# content hash (app.3f9c2a1b.js, as bundlers name them) never changes and is cached for a year; any other is
# revalidated on every visit, so a release shows at once in browsers too (an invalidation empties only the edge).

locals {
  site_dir = coalesce(var.site_dir, "${path.module}/site")
  content_types = {
    html = "text/html; charset=utf-8", css = "text/css; charset=utf-8", js = "text/javascript; charset=utf-8",
    json = "application/json", svg = "image/svg+xml", png = "image/png", jpg = "image/jpeg", ico = "image/x-icon",
    txt  = "text/plain; charset=utf-8", webmanifest = "application/manifest+json", woff2 = "font/woff2", map = "application/json",
  }
  site_files = { for file in fileset(local.site_dir, "**") : file => file if file != "config.json" }
}

resource "aws_s3_object" "site" {
  for_each = local.site_files

  bucket        = module.site.bucket_name
  key           = each.key
  source        = "${local.site_dir}/${each.key}"
  source_hash   = filemd5("${local.site_dir}/${each.key}")
  content_type  = lookup(local.content_types, lower(element(split(".", each.key), length(split(".", each.key)) - 1)), "application/octet-stream")
  cache_control = can(regex("[.-][0-9a-fA-F]{8,}\\.[a-z0-9]+$", each.key)) ? "public, max-age=31536000, immutable" : "no-cache"
  tags          = var.tags
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
