"""P16 event-driven processing: an S3 upload is processed into a report in a second bucket."""
