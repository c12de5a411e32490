# P29 spa: a single-page application in a private bucket, served only through CloudFront with origin
# access control. Every path the bucket does not hold (a deep link such as /orders/42) answers the app's
# index.html with 200, so the app routes it; the backend's URL reaches the app in /config.json. The
# bucket admits the one distribution (aws:SourceArn) and nobody else: a direct request is refused.
# New or removed site files invalidate their paths at the edge (invalidation.tf).

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
      values   = [aws_cloudfront_distribution.site.arn]
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

resource "aws_cloudfront_response_headers_policy" "site" {
  name    = "${var.name}-site"
  comment = "Security headers on every answer of ${var.name}'s site"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
    content_security_policy {
      content_security_policy = local.content_security_policy
      override                = true
    }
  }
}

locals {
  # The app loads only its own files and talks only to its own origin and the backend.
  api_origin              = var.api_url == null ? "" : regex("^(https?://[^/]+)", var.api_url)[0]
  content_security_policy = "default-src 'self'; connect-src 'self'${local.api_origin == "" ? "" : " ${local.api_origin}"}; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'"
}

resource "aws_cloudfront_distribution" "site" {
  #checkov:skip=CKV_AWS_86: access logs need a log bucket per account; pass one as var.access_logs_bucket
  #checkov:skip=CKV_AWS_68: a web ACL is the environment's choice (var.web_acl_arn), with the rules its traffic needs
  #checkov:skip=CKV2_AWS_47: a web ACL is the environment's choice (var.web_acl_arn), with the rules its traffic needs
  #checkov:skip=CKV_AWS_310: one origin: the site bucket holds the app, there is nothing to fail over to
  #checkov:skip=CKV_AWS_374: no geo restriction by default: the app serves every country unless var.geo_restriction says otherwise
  #checkov:skip=CKV_AWS_174: with the default certificate CloudFront's minimum protocol is its own; with var.domain it is TLSv1.2_2021
  #checkov:skip=CKV2_AWS_42: the default *.cloudfront.net certificate unless var.domain names an ACM certificate
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "${var.name}: the single-page app"
  default_root_object = "index.html"
  price_class         = var.price_class
  aliases             = var.domain == null ? [] : [var.domain.name]
  web_acl_id          = var.web_acl_arn
  wait_for_deployment = var.wait_for_deployment

  origin {
    origin_id                = "site"
    domain_name              = module.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  default_cache_behavior {
    target_origin_id           = "site"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.managed_cache_policy.caching_optimized
    response_headers_policy_id = aws_cloudfront_response_headers_policy.site.id
  }

  # S3 answers 403 for a key it does not hold (CloudFront may not list the bucket): both are the app's routes.
  dynamic "custom_error_response" {
    for_each = [403, 404]
    content {
      error_code            = custom_error_response.value
      response_code         = 200
      response_page_path    = "/index.html"
      error_caching_min_ttl = var.error_caching_seconds
    }
  }

  dynamic "logging_config" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]
    content {
      bucket = "${logging_config.value}.s3.amazonaws.com"
      prefix = "${var.name}/"
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = var.geo_restriction.type
      locations        = var.geo_restriction.countries
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.domain == null
    acm_certificate_arn            = var.domain == null ? null : var.domain.certificate_arn
    ssl_support_method             = var.domain == null ? null : "sni-only"
    minimum_protocol_version       = var.domain == null ? "TLSv1" : "TLSv1.2_2021"
  }

  tags = var.tags
}
