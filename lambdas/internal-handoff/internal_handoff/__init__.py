"""P04 internal handoff: a service hands work to another function asynchronously and returns at once."""
