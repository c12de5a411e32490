"""P28 xray-tracer: one trace through API Gateway, Lambda, DynamoDB, HTTP, SNS and SQS."""
