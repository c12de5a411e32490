"""P01 simple web service: one handler per item operation, backed by DynamoDB."""
