"""Helpers the Lambda packages share: settings read from the environment, an HTTP call with a timeout, a
PostgreSQL connection and its migrations, JSON of DynamoDB's numbers. `make build` vendors this package
into each zip whose code imports it, so every zip stays self-contained. Nothing here creates an AWS client
(that is each package's store.py, which hands one in where a helper needs it)."""
