"""Handlers behind the HTTP API (v2) fixture."""
