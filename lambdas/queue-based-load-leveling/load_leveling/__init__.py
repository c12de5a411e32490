"""P14 queue-based load leveling: the consumer that drains the request queue at its own pace."""
