"""P31 single-domain-frontend-backend: the message board's API, served under /api/ of the app's own origin."""
