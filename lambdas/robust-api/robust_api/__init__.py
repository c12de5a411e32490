"""P06 robust API: the orders backend of one API that also routes to an HTTP backend and to SQS directly."""
