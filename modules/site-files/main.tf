# A static site's files uploaded to a bucket with the content type and caching each needs: a file whose name
# carries a content hash (app.3f9c2a1b.js, as bundlers name them) never changes and is kept a year; any other
# is revalidated on every visit, so a release shows at once in browsers too (an invalidation empties only
# the edge).

locals {
  # A module script or WebAssembly served as application/octet-stream is refused by browsers.
  content_types = {
    html = "text/html; charset=utf-8", css = "text/css; charset=utf-8", js = "text/javascript; charset=utf-8",
    mjs  = "text/javascript; charset=utf-8", json = "application/json", map = "application/json",
    wasm = "application/wasm", svg = "image/svg+xml", png = "image/png", jpg = "image/jpeg", jpeg = "image/jpeg",
    gif  = "image/gif", webp = "image/webp", avif = "image/avif", ico = "image/x-icon",
    woff = "font/woff", woff2 = "font/woff2", ttf = "font/ttf", otf = "font/otf",
    txt  = "text/plain; charset=utf-8", xml = "application/xml", pdf = "application/pdf", webmanifest = "application/manifest+json",
  }
  files = { for file in fileset(var.source_dir, "**") : "${var.key_prefix}${file}" => file if !contains(var.exclude, file) }
}

resource "aws_s3_object" "this" {
  for_each = local.files

  bucket        = var.bucket_name
  key           = each.key
  source        = "${var.source_dir}/${each.value}"
  source_hash   = filemd5("${var.source_dir}/${each.value}")
  content_type  = lookup(local.content_types, lower(element(split(".", each.value), length(split(".", each.value)) - 1)), "application/octet-stream")
  cache_control = can(regex("[.-][0-9a-fA-F]{8,}\\.[a-z0-9]+$", each.value)) ? "public, max-age=31536000, immutable" : "no-cache"
  tags          = var.tags
}
