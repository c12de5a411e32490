"""Gatekeeper: an authorization service owning its API keys, and the tenant documents API it guards."""
