"""Streamer: the Firehose transform that turns posted readings into one clean JSON line each."""
