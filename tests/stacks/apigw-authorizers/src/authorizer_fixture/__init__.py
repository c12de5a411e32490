"""Authorizers and an echo handler behind the authorizer fixture."""
