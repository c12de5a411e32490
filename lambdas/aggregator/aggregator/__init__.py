"""P05 aggregator: one request, several downstream services called at once, one merged answer."""
