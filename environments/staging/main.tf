# An environment is this file (the same in every environment), its settings in
# terraform.tfvars and, for a real account, backend.tf. What the patterns are
# is written once, in ../composition.
terraform {
  required_version = ">= 1.10" # the S3 backend's use_lockfile

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0" # the version the plan and integration tests run
    }
  }
}

# Credentials and, for the local cloud, the endpoint come from the environment
# (AWS_PROFILE or AWS_ACCESS_KEY_ID..., AWS_ENDPOINT_URL): nothing here names them.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      environment = var.environment
      project     = "serverless-patterns"
      managed-by  = "terraform"
    }
  }
}

variable "environment" {
  description = "Name of this environment; prefixes every resource (sp-<environment>-...)."
  type        = string
}

variable "region" {
  description = "AWS region of this environment."
  type        = string
}

variable "patterns" {
  description = "The patterns to deploy, by module name; null deploys every pattern."
  type        = set(string)
  default     = null
}

variable "settings" {
  description = "This environment's settings; ../composition/variables.tf types and validates them."
  type        = any
}

variable "settings_overrides" {
  description = "Settings replacing this environment's own, each merged into the setting it names. Empty in an account; `make rehearse` sets what cannot exist on the local cloud (rehearsal.tfvars: your own services' URLs, pointed at stand-ins) and lifts deletion protection to tear down."
  type        = any
  default     = {}
}

module "patterns" {
  source = "../composition"

  environment = var.environment
  patterns    = var.patterns
  settings = merge(var.settings, {
    for name, value in var.settings_overrides : name => try(merge(var.settings[name], value), value)
  })
}

output "patterns" {
  description = "Each deployed pattern's outputs, by pattern name."
  value       = module.patterns.patterns
}

output "on_call_topic_arn" {
  description = "The topic every alarm notifies where alarms are enabled (subscribe the team through settings.on_call), else null."
  value       = module.patterns.on_call_topic_arn
}

# State written before the composition module existed follows it.
moved {
  from = module.kms_key
  to   = module.patterns.module.kms_key
}

moved {
  from = module.api_gateway_account
  to   = module.patterns.module.api_gateway_account[0]
}

moved {
  from = module.simple_web_service
  to   = module.patterns.module.simple_web_service[0]
}

moved {
  from = module.queue_based_load_leveling
  to   = module.patterns.module.queue_based_load_leveling[0]
}

moved {
  from = module.fifoer
  to   = module.patterns.module.fifoer[0]
}

moved {
  from = module.big_fan
  to   = module.patterns.module.big_fan[0]
}

moved {
  from = module.distributed_trigger
  to   = module.patterns.module.distributed_trigger[0]
}

moved {
  from = module.notifier
  to   = module.patterns.module.notifier[0]
}

moved {
  from = module.pub_sub
  to   = module.patterns.module.pub_sub[0]
}
