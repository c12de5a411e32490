"""P07 strangler: the new products service that takes over routes from the legacy application one by one."""
