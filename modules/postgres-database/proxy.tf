# The proxy reads the master's and the database users' secrets as its own role and pools connections;
# clients log in through it with the credentials of one of them, over TLS. The trust policy is RDS Proxy's documented one: RDS does not
# document source keys for the proxy (its confused-deputy examples cover other features).
data "aws_iam_policy_document" "proxy_trust" {
  count = var.settings.proxy ? 1 : 0

  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "proxy" {
  count = var.settings.proxy ? 1 : 0

  name               = "${var.name}-proxy"
  assume_role_policy = data.aws_iam_policy_document.proxy_trust[0].json
  tags               = var.tags
}

data "aws_iam_policy_document" "proxy" {
  count = var.settings.proxy ? 1 : 0

  statement {
    sid       = "ReadCredentials"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = concat([aws_db_instance.this.master_user_secret[0].secret_arn], values(local.user_secret_arns))
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      sid       = "DecryptCredentials"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]
    }
  }
}

resource "aws_iam_role_policy" "proxy" {
  count = var.settings.proxy ? 1 : 0

  name   = "read-credentials"
  role   = aws_iam_role.proxy[0].id
  policy = data.aws_iam_policy_document.proxy[0].json
}

resource "aws_db_proxy" "this" {
  count = var.settings.proxy ? 1 : 0

  name                   = var.name
  engine_family          = "POSTGRESQL"
  role_arn               = aws_iam_role.proxy[0].arn
  vpc_subnet_ids         = var.network == null ? [] : var.network.subnet_ids
  vpc_security_group_ids = var.network == null ? null : var.network.security_group_ids
  require_tls            = true
  idle_client_timeout    = 1800
  tags                   = var.tags

  dynamic "auth" {
    for_each = concat([aws_db_instance.this.master_user_secret[0].secret_arn], values(local.user_secret_arns))
    content {
      auth_scheme               = "SECRETS"
      secret_arn                = auth.value
      iam_auth                  = "DISABLED"
      client_password_auth_type = "POSTGRES_SCRAM_SHA_256"
    }
  }

  lifecycle {
    precondition {
      condition     = var.network != null
      error_message = "settings.proxy needs network: an RDS Proxy lives in subnets of a VPC."
    }
  }

  # The users' secrets hold credentials only once the migration ran: before that the proxy would refuse
  # the functions logging in as them.
  depends_on = [aws_iam_role_policy.proxy, aws_lambda_invocation.migrate]
}

resource "aws_db_proxy_default_target_group" "this" {
  count = var.settings.proxy ? 1 : 0

  db_proxy_name = aws_db_proxy.this[0].name

  connection_pool_config {
    max_connections_percent = var.settings.proxy_max_connections_percent
  }
}

resource "aws_db_proxy_target" "this" {
  count = var.settings.proxy ? 1 : 0

  db_proxy_name          = aws_db_proxy.this[0].name
  target_group_name      = aws_db_proxy_default_target_group.this[0].name
  db_instance_identifier = aws_db_instance.this.identifier
}
