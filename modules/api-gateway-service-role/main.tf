# The role API Gateway assumes to call AWS services directly (service integrations: no Lambda on
# the request path), allowed exactly the calls its integrations make.

# No aws:SourceAccount / aws:SourceArn condition: API Gateway sends neither when it assumes an
# integration's role, so such a condition would refuse every request (500, "API Gateway does not have
# permission to assume the provided role"). The role is scoped by its permissions instead.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["apigateway.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = "${var.name}-api"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "this" {
  dynamic "statement" {
    for_each = var.policy_statements
    content {
      sid       = statement.value.sid
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}
