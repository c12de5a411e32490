"""P22 EventBridge circuit breaker: callers publish their failures as events; a recorder keeps them for a
while; callers look at the recent failures before calling."""
