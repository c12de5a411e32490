"""P11 pub-sub: three independent processors of each uploaded document (metadata, preview, gzip)."""
