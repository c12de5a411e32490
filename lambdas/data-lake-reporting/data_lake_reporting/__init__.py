"""P27 data-lake reporting: each ingested day of sales reported by an Athena query into the reporting bucket."""
