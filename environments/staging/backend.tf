# State in S3 with native locking. Settings per account go in backend.hcl (see
# backend.hcl.example): terraform init -backend-config=backend.hcl
terraform {
  backend "s3" {}
}
