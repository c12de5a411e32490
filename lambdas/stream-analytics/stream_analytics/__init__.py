"""P26 stream analytics: per-sensor aggregates of each tumbling window of a Kinesis stream, kept in DynamoDB."""
