# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_dynamodb_table.ledger
  to   = module.ledger.aws_dynamodb_table.this
}
