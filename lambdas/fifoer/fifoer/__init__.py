"""P13 FIFOer: a ledger that applies each account's events in the order they were sent, once."""
