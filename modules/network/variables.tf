variable "name" {
  description = "Prefix of every resource of the network (for example acme-prod-network): the VPC, its subnets, route tables, security groups, endpoints and flow log."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,40}$", var.name)) && !can(regex("--|-$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter, without two consecutive hyphens or a trailing hyphen."
  }
}

variable "cidr_block" {
  description = "IPv4 range of the VPC (a /16 to a /24); each subnet is a sixteenth of it. Ignored with existing_vpc."
  type        = string
  default     = "10.0.0.0/16"
  nullable    = false

  validation {
    condition = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+/[0-9]+$", var.cidr_block)) && try(
      cidrhost(var.cidr_block, 0) == split("/", var.cidr_block)[0] && tonumber(split("/", var.cidr_block)[1]) >= 16 && tonumber(split("/", var.cidr_block)[1]) <= 24,
      false,
    )
    error_message = "cidr_block must be an IPv4 network in CIDR notation from /16 to /24 (for example 10.0.0.0/16), its address the first of the range: a VPC is /16 to /28, and each of its subnets is a /+4 of it."
  }
}

variable "availability_zone_count" {
  description = "How many availability zones of the region get a private subnet (the region's available zones, in order). RDS subnet groups need two."
  type        = number
  default     = 2
  nullable    = false

  validation {
    condition     = var.availability_zone_count >= 2 && var.availability_zone_count <= 6 && floor(var.availability_zone_count) == var.availability_zone_count
    error_message = "availability_zone_count must be a whole number from 2 to 6: RDS subnet groups and ElastiCache need subnets in two zones."
  }
}

variable "existing_vpc" {
  description = "A VPC of yours to use instead of creating one: its id and the private subnets (in at least two zones) the members live in. Only the security groups and the endpoints are created in it (gateway endpoints on the subnets' route tables); no VPC, subnets, route tables, NAT gateway, flow log or default group changes."
  type = object({
    vpc_id     = string
    subnet_ids = list(string)
  })
  default = null

  validation {
    condition     = var.existing_vpc == null || (startswith(try(var.existing_vpc.vpc_id, ""), "vpc-") && length(try(var.existing_vpc.subnet_ids, [])) >= 2 && alltrue([for id in try(var.existing_vpc.subnet_ids, []) : startswith(id, "subnet-")]))
    error_message = "existing_vpc needs a vpc_id (vpc-...) and at least two subnet_ids (subnet-...), in two availability zones."
  }
}

variable "gateway_endpoints" {
  description = "Services reached through gateway endpoints on the private route table (free of charge): dynamodb, s3."
  type        = set(string)
  default     = ["dynamodb", "s3"]
  nullable    = false

  validation {
    condition     = length(setsubtract(var.gateway_endpoints, ["dynamodb", "s3"])) == 0
    error_message = "gateway_endpoints may name dynamodb and s3 only (the services AWS offers gateway endpoints for)."
  }
}

variable "interface_endpoints" {
  description = "Services reached through interface endpoints in the private subnets, by short name (com.amazonaws.<region>.<name>), for the AWS APIs the members call: secretsmanager, sqs, sns, sts, kms, logs, monitoring, xray, lambda, states, events, ssm, execute-api, kinesis-streams. Each is billed per zone and hour."
  type        = set(string)
  default     = ["secretsmanager"]
  nullable    = false

  validation {
    condition     = length(setsubtract(var.interface_endpoints, ["secretsmanager", "sqs", "sns", "sts", "kms", "logs", "monitoring", "xray", "lambda", "states", "events", "ssm", "execute-api", "kinesis-streams"])) == 0
    error_message = "interface_endpoints must name services from: secretsmanager, sqs, sns, sts, kms, logs, monitoring, xray, lambda, states, events, ssm, execute-api, kinesis-streams (dynamodb and s3 are gateway_endpoints)."
  }
}

variable "nat_gateway" {
  description = "A NAT gateway (with a public subnet, an internet gateway and an Elastic IP, in the first zone) and a default route to it, so members may reach HTTPS on the internet; false keeps the private subnets without any internet path. Not with existing_vpc."
  type        = bool
  default     = false
  nullable    = false
}

variable "data_ports" {
  description = "TCP ports of the data stores the members reach (PostgreSQL 5432, Redis/Valkey 6379): the members group admits itself on these ports only."
  type        = list(number)
  default     = [5432, 6379]
  nullable    = false

  validation {
    condition     = length(var.data_ports) > 0 && length(distinct(var.data_ports)) == length(var.data_ports) && alltrue([for port in var.data_ports : port >= 1 && port <= 65535 && floor(port) == port && port != 443])
    error_message = "data_ports must list at least one TCP port, each once (1-65535, not 443: the members reach the endpoints on 443)."
  }
}

variable "flow_logs" {
  description = "Record the VPC's traffic (accepted and rejected) to a CloudWatch log group with VPC Flow Logs. Applies to a VPC the module creates."
  type        = bool
  default     = true
  nullable    = false
}

variable "log_retention_days" {
  description = "Days to keep the flow log."
  type        = number
  default     = 30
  nullable    = false

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "kms_key_arn" {
  description = "Customer managed KMS key of the flow log's log group (its policy must let CloudWatch Logs of this account use it, as modules/kms-key's does); null uses CloudWatch Logs' own encryption."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
  nullable    = false
}
