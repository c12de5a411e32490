"""A test-only function that records what it received, proving deployed code ran."""
