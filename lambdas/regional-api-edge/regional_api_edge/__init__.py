"""P30 regional-api-edge: the products API behind CloudFront (a public, edge-cached list; editors' writes)."""
