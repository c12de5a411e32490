"""Helpers the Lambda packages share: settings read from the environment, an HTTP call with a timeout, a
PostgreSQL connection, JSON of DynamoDB's numbers. `make build` vendors this package into each zip whose
code imports it, so every zip stays self-contained. Nothing here calls AWS (that is each package's
store.py)."""
