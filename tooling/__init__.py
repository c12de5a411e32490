"""Project tooling: the Lambda build, the local cloud and the Terraform adapter."""
