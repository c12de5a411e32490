output "keys" {
  description = "The uploaded files' keys, for invalidations and tests."
  value       = sort(keys(aws_s3_object.this))
}
