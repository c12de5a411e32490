data "aws_region" "current" {}

# The API decides how long an answer may be kept (its Cache-Control); without one, nothing is kept. The list
# reads nothing of the request, so nothing of it is in the key: a made-up query string is still a hit, not
# a full table scan.
resource "aws_cloudfront_cache_policy" "origin_decides" {
  name        = "${var.name}-origin-decides"
  comment     = "${var.name}: cached for as long as the API's Cache-Control says; nothing of the request in the key"
  min_ttl     = 0
  default_ttl = 0
  max_ttl     = 86400

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_gzip   = true
    enable_accept_encoding_brotli = true

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_distribution" "api" {
  #checkov:skip=CKV_AWS_86: access logs need a log bucket per account; pass one as var.access_logs_bucket
  #checkov:skip=CKV_AWS_68: a web ACL is the environment's choice (var.web_acl_arn), with the rules its traffic needs
  #checkov:skip=CKV2_AWS_47: a web ACL is the environment's choice (var.web_acl_arn), with the rules its traffic needs
  #checkov:skip=CKV_AWS_310: one origin: the regional API is the service, there is nothing to fail over to
  #checkov:skip=CKV_AWS_374: no geo restriction by default: the API serves every country unless var.geo_restriction says otherwise
  #checkov:skip=CKV_AWS_174: with the default certificate CloudFront's minimum protocol is its own; with var.domain it is TLSv1.2_2021
  #checkov:skip=CKV2_AWS_42: the default *.cloudfront.net certificate unless var.domain names an ACM certificate
  #checkov:skip=CKV_AWS_305: an API, not a site: there is no root object to serve, / is the API's own path
  #checkov:skip=CKV2_AWS_32: AWS's managed SecurityHeadersPolicy is on every behaviour, named by its id; checkov looks only for a policy resource
  enabled             = true
  is_ipv6_enabled     = true
  comment             = "${var.name}: the products API at the edge"
  price_class         = var.price_class
  aliases             = var.domain == null ? [] : [var.domain.name]
  web_acl_id          = var.web_acl_arn
  wait_for_deployment = var.wait_for_deployment

  origin {
    origin_id   = "api"
    domain_name = "${module.api.rest_api_id}.execute-api.${data.aws_region.current.name}.amazonaws.com"
    origin_path = "/${module.api.stage_name}"

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = var.origin_read_timeout_seconds
      origin_keepalive_timeout = 5
    }

    custom_header {
      name  = "x-api-key"
      value = aws_api_gateway_api_key.edge.value
    }
  }

  # Every path but the product list: the API's own, uncached, with the viewer's headers, cookies and query.
  default_cache_behavior {
    target_origin_id           = "api"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = local.managed_cache_policy.caching_disabled
    origin_request_policy_id   = local.managed_origin_request_policy.all_viewer_except_host_header
    response_headers_policy_id = local.managed_response_headers_policy.security_headers
  }

  # The public product list, kept at the edge for as long as the API says; only what the key holds reaches the API.
  ordered_cache_behavior {
    path_pattern               = "/products"
    target_origin_id           = "api"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.origin_decides.id
    response_headers_policy_id = local.managed_response_headers_policy.security_headers
  }

  # An API failure is not kept at the edge (CloudFront keeps errors 10 s by default): the next request tries again.
  dynamic "custom_error_response" {
    for_each = [500, 502, 503, 504]
    content {
      error_code            = custom_error_response.value
      error_caching_min_ttl = 0
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
