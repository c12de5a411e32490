data "aws_caller_identity" "current" {}

module "site" {
  source = "../../modules/bucket"

  name             = "${var.name}-site"
  force_destroy    = !var.deletion_protection
  kms_key_arn      = var.kms_key_arn
  policy_documents = [data.aws_iam_policy_document.only_the_distribution.json]
  tags             = var.tags
}

data "aws_iam_policy_document" "only_the_distribution" {
  statement {
    sid       = "ReadByThisDistributionOnly"
    actions   = ["s3:GetObject"]
    resources = ["${module.site.bucket_arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.app.arn]
    }
  }
}

resource "aws_cloudfront_origin_access_control" "site" {
  name                              = "${var.name}-site"
  description                       = "CloudFront signs ${var.name}'s requests to its site bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# The app's files under ui/, served at /ui/ (modules/site-files: content types and browser caching).
module "files" {
  source = "../../modules/site-files"

  bucket_name = module.site.bucket_name
  source_dir  = coalesce(var.site_dir, "${path.module}/site")
  key_prefix  = "ui/"
  tags        = var.tags
}
