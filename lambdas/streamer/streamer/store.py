"""The transform calls no AWS service: Firehose hands it each batch and writes what it answers to S3 (as
Firehose's own role). Kept so every package reads the same (tests/unit/test_lambda_layout.py)."""
