# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

# 0.5.0: the REST API scaffolding moved into modules/rest-api.
moved {
  from = aws_api_gateway_rest_api.this
  to   = module.api.aws_api_gateway_rest_api.this
}

moved {
  from = aws_api_gateway_resource.tenants
  to   = module.api.aws_api_gateway_resource.level1["/tenants"]
}

moved {
  from = aws_api_gateway_resource.tenant
  to   = module.api.aws_api_gateway_resource.level2["/tenants/{tenant}"]
}

moved {
  from = aws_api_gateway_resource.documents
  to   = module.api.aws_api_gateway_resource.level3["/tenants/{tenant}/documents"]
}

moved {
  from = aws_api_gateway_resource.document
  to   = module.api.aws_api_gateway_resource.level4["/tenants/{tenant}/documents/{id}"]
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
  from = aws_api_gateway_resource.tenants
  to   = module.api.aws_api_gateway_resource.level1["/tenants"]
}

moved {
  from = aws_api_gateway_resource.tenant
  to   = module.api.aws_api_gateway_resource.level2["/tenants/{tenant}"]
}

moved {
  from = aws_api_gateway_resource.documents
  to   = module.api.aws_api_gateway_resource.level3["/tenants/{tenant}/documents"]
}

moved {
  from = aws_api_gateway_resource.document
  to   = module.api.aws_api_gateway_resource.level4["/tenants/{tenant}/documents/{id}"]
}

moved {
  from = aws_api_gateway_request_validator.this
  to   = module.api.aws_api_gateway_request_validator.this[0]
}

moved {
  from = module.stage
  to   = module.api.module.stage
}
