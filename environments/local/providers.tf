# Credentials and, for the local cloud, the endpoint come from the environment
# (AWS_PROFILE or AWS_ACCESS_KEY_ID..., AWS_ENDPOINT_URL): nothing here names them.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      environment = var.environment
      project     = "serverless-patterns"
      managed-by  = "terraform"
    }
  }
}
