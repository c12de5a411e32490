"""Dynamo streamer: the change log kept from a table's stream (the API writes the table directly)."""
