output "distribution_id" {
  description = "The distribution serving the site."
  value       = aws_cloudfront_distribution.site.id
}

output "distribution_arn" {
  description = "ARN of the distribution: the only principal the site bucket admits (aws:SourceArn)."
  value       = aws_cloudfront_distribution.site.arn
}

output "domain_name" {
  description = "The distribution's own domain name (<id>.cloudfront.net); point var.domain's name at it."
  value       = aws_cloudfront_distribution.site.domain_name
}

output "site_url" {
  description = "Where viewers open the site."
  value       = "https://${var.domain == null ? aws_cloudfront_distribution.site.domain_name : var.domain.name}/"
}

output "bucket_name" {
  description = "The private bucket holding the site's files: upload a release here (each change is invalidated at the edge)."
  value       = module.site.bucket_name
}

output "invalidator_function_name" {
  description = "The function that invalidates changed files at the edge."
  value       = module.invalidator.function_name
}

output "invalidator_role_name" {
  description = "The invalidator's role: drain the changes queue and CreateInvalidation on this distribution, nothing else."
  value       = module.invalidator.role_name
}

output "changes_queue_url" {
  description = "URL of the queue S3 reports the site's changes to (the invalidator drains it)."
  value       = module.changes.queue_url
}

output "invalidation_dlq_url" {
  description = "URL of the dead-letter queue: change notices the invalidator could not handle after max_receive_count tries."
  value       = module.changes.dlq_url
}

output "invalidation_dlq_alarm_name" {
  description = "Alarm on the dead-letter queue's depth."
  value       = module.changes.dlq_alarm_name
}

output "kms_key_policy_statement_json" {
  description = "With kms_key_arn: the key policy statement CloudFront needs to read the encrypted site (kms:Decrypt as cloudfront.amazonaws.com for this distribution); add it to your key's policy."
  value = var.kms_key_arn == null ? null : jsonencode({
    Sid       = "CloudFrontReadsTheSite"
    Effect    = "Allow"
    Principal = { Service = "cloudfront.amazonaws.com" }
    Action    = "kms:Decrypt"
    Resource  = "*"
    Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.site.arn } }
  })
}
