"""P17 fan-out/fan-in: a job split into parts, workers in parallel, completion decided from the table."""
