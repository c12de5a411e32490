"""The local cloud: AWS on loopback for Terraform and boto3, moto's server extended to run as AWS runs.

Versioned with the serverless-patterns library it ships in (CHANGELOG.md); see README.md to use it and
ARCHITECTURE.md for how it works.
"""

__version__ = "0.5.0"
