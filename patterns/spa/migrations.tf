# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

# The site's files moved into the shared site-files module (same keys).
moved {
  from = aws_s3_object.site
  to   = module.files.aws_s3_object.this
}
