"""The local cloud: moto server on loopback, extended to run our Lambdas without Docker."""
