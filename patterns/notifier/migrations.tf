# State written by earlier releases follows the resources where they live now (see CHANGELOG.md).

moved {
  from = aws_kms_key.topic
  to   = module.topic_key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.topic
  to   = module.topic_key.aws_kms_alias.this
}
