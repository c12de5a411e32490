"""P21 circuit breaker: calls to an unreliable service guarded by a breaker whose state lives in DynamoDB."""
