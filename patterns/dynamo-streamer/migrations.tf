# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

# 0.5.0: the REST API scaffolding moved into modules/rest-api.
moved {
  from = aws_api_gateway_rest_api.this
  to   = module.api.aws_api_gateway_rest_api.this
}

moved {
  from = aws_api_gateway_resource.messages
  to   = module.api.aws_api_gateway_resource.level1["/messages"]
}

moved {
  from = aws_api_gateway_request_validator.this
  to   = module.api.aws_api_gateway_request_validator.this[0]
}

moved {
  from = module.stage
  to   = module.api.module.stage
}

# 0.5.0: the REST API scaffolding moved into modules/rest-api.
moved {
  from = aws_api_gateway_rest_api.this
  to   = module.api.aws_api_gateway_rest_api.this
}

moved {
  from = aws_api_gateway_resource.messages
  to   = module.api.aws_api_gateway_resource.level1["/messages"]
}

moved {
  from = aws_api_gateway_request_validator.this
  to   = module.api.aws_api_gateway_request_validator.this[0]
}

moved {
  from = module.stage
  to   = module.api.module.stage
}
