"""P15 distributed trigger: turns a source event into the service's own notification on its topic."""
