"""P18 map-reduce: a word count over byte ranges of an S3 object, mapped in parallel and reduced once."""
