data "aws_region" "current" {}

# The app and its API share one origin, so the content security policy allows only 'self'.
resource "aws_cloudfront_response_headers_policy" "app" {
  name    = "${var.name}-app"
  comment = "Security headers on every answer of ${var.name}, the app's and the API's"

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
      content_security_policy = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
      override                = true
    }
  }
}

resource "aws_cloudfront_distribution" "app" {
  #checkov:skip=CKV_AWS_86: access logs need a log bucket per account; pass one as var.access_logs_bucket
  #checkov:skip=CKV_AWS_68: a web ACL is the environment's choice (var.web_acl_arn), with the rules its traffic needs
  #checkov:skip=CKV2_AWS_47: a web ACL is the environment's choice (var.web_acl_arn), with the rules its traffic needs
  #checkov:skip=CKV_AWS_310: two origins for two kinds of path, not one to fail over from: a failover would answer API calls with files
  #checkov:skip=CKV_AWS_374: no geo restriction by default: the app serves every country unless var.geo_restriction says otherwise
  #checkov:skip=CKV_AWS_174: with the default certificate CloudFront's minimum protocol is its own; with var.domain it is TLSv1.2_2021
  #checkov:skip=CKV2_AWS_42: the default *.cloudfront.net certificate unless var.domain names an ACM certificate
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "${var.name}: the app under /ui/ and its API under /api/"
  default_root_object = "ui/index.html"
  price_class         = var.price_class
  aliases             = var.domain == null ? [] : [var.domain.name]
  web_acl_id          = var.web_acl_arn
  wait_for_deployment = var.wait_for_deployment

  origin {
    origin_id                = "site"
    domain_name              = module.site.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.site.id
  }

  # The HTTP API's $default stage answers at its root: /api/messages reaches the route "GET /api/messages".
  origin {
    origin_id   = "api"
    domain_name = "${module.api.api_id}.execute-api.${data.aws_region.current.name}.amazonaws.com"

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  # The app's files (/ui/*, and / for its page), cached at the edge.
  default_cache_behavior {
    target_origin_id           = "site"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.managed_cache_policy.caching_optimized
    response_headers_policy_id = aws_cloudfront_response_headers_policy.app.id
  }

  # The API: uncached, with everything the viewer sent but Host (API Gateway knows its API by its own name).
  ordered_cache_behavior {
    path_pattern               = "/api/*"
    target_origin_id           = "api"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.managed_cache_policy.caching_disabled
    origin_request_policy_id   = local.managed_origin_request_policy.all_viewer_except_host_header
    response_headers_policy_id = aws_cloudfront_response_headers_policy.app.id
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
