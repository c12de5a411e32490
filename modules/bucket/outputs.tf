output "bucket_name" {
  description = "Name of the bucket, known at plan (so a count or for_each may depend on it); it resolves once the bucket versions and encrypts what is written to it."
  value       = var.name
  depends_on  = [aws_s3_bucket.this, aws_s3_bucket_versioning.this, aws_s3_bucket_server_side_encryption_configuration.this]
}

output "bucket_arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "The bucket's regional REST endpoint (<name>.s3.<region>.amazonaws.com), as a CloudFront S3 origin names it."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
