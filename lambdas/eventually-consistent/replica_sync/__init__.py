"""P23 eventually consistent: customers written to DynamoDB through an API, replicated into PostgreSQL
from the table's stream, where reports query them. The copy may lag; it never goes backwards."""
