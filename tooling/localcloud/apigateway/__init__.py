"""The local cloud's HTTP front door for API Gateway (moto stores APIs but does not serve them)."""
