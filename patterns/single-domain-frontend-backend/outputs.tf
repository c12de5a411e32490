output "distribution_id" {
  description = "The distribution serving the app and its API."
  value       = aws_cloudfront_distribution.app.id
}

output "distribution_arn" {
  description = "ARN of the distribution: the only principal the site bucket admits (aws:SourceArn)."
  value       = aws_cloudfront_distribution.app.arn
}

output "domain_name" {
  description = "The distribution's own domain name (<id>.cloudfront.net); point var.domain's name at it."
  value       = aws_cloudfront_distribution.app.domain_name
}

output "site_url" {
  description = "Where viewers open the app; its API is at /api/ of the same origin."
  value       = "https://${var.domain == null ? aws_cloudfront_distribution.app.domain_name : var.domain.name}/"
}

output "bucket_name" {
  description = "The private bucket holding the app's files under ui/."
  value       = module.site.bucket_name
}

output "api_id" {
  description = "Id of the HTTP API behind /api/."
  value       = module.api.api_id
}

output "table_name" {
  description = "The messages table."
  value       = module.messages.table_name
}

output "function_names" {
  description = "The operations' functions, by operation (list, post)."
  value       = { for k, f in module.function : k => f.function_name }
}

output "role_names" {
  description = "The operations' roles, by operation (list, post)."
  value       = { for k, f in module.function : k => f.role_name }
}

output "kms_key_policy_statement_json" {
  description = "With kms_key_arn: the key policy statement CloudFront needs to read the encrypted site (kms:Decrypt as cloudfront.amazonaws.com for this distribution); add it to your key's policy."
  value = var.kms_key_arn == null ? null : jsonencode({
    Sid       = "CloudFrontReadsTheSite"
    Effect    = "Allow"
    Principal = { Service = "cloudfront.amazonaws.com" }
    Action    = "kms:Decrypt"
    Resource  = "*"
    Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.app.arn } }
  })
}
