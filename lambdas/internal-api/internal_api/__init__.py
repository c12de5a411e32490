"""P03 internal API: a service function other functions invoke directly (RequestResponse), no API Gateway."""
