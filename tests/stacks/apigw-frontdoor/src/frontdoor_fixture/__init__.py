"""Handlers behind the front door fixture's Lambda routes."""
