variable "name" {
  description = "Name of the function; also names its role and log group."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,61}$", var.name))
    error_message = "name must be 1-61 letters, digits, hyphens or underscores: the role is <name>-fn, and IAM caps role names at 64."
  }
}

variable "description" {
  description = "What the function does, shown in the console."
  type        = string
  default     = ""
}

variable "package_path" {
  description = "Path of the zip built by `make build` (build/lambdas/<pattern>.zip)."
  type        = string

  validation {
    condition     = fileexists(var.package_path)
    error_message = "package_path does not exist: run `make build` first."
  }
}

variable "code_bucket" {
  description = "Name of an existing S3 bucket in the function's region that keeps Lambda code (an artifacts bucket). The package is uploaded to lambda/<name>/<sha256>.zip and the function created from there: the AWS provider creates such functions in parallel, where it uploads local zips one at a time, and S3 lifts the 50 MB direct-upload limit. null uploads the zip with the function. The name must be known at plan (a name, not a computed id)."
  type        = string
  default     = null

  validation {
    condition     = var.code_bucket == null || can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.code_bucket))
    error_message = "code_bucket must be a bucket name (3-63 lowercase letters, digits, dots or hyphens), not an ARN or s3:// URL."
  }
}

variable "handler" {
  description = "Handler as module.function, for example simple_web_service.handler.handler."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z_][A-Za-z0-9_.]*\\.[A-Za-z_][A-Za-z0-9_]*$", var.handler))
    error_message = "handler must look like package.module.function."
  }
}

variable "runtime" {
  description = "Lambda runtime: the Python the package was built for (make build builds python3.13; python -m tooling.build --runtime for another)."
  type        = string
  default     = "python3.13"

  validation {
    condition     = contains(["python3.11", "python3.12", "python3.13"], var.runtime)
    error_message = "runtime must be python3.11, python3.12 or python3.13."
  }
}

variable "architecture" {
  description = "Instruction set the function runs on: x86_64, or arm64 (Graviton, about 20% cheaper per GB-second). The package must be built for it: python -m tooling.build --architecture arm64."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be x86_64 or arm64."
  }
}

variable "timeout" {
  description = "Function timeout in seconds."
  type        = number
  default     = 10

  validation {
    condition     = var.timeout >= 1 && var.timeout <= 900
    error_message = "timeout must be between 1 and 900 seconds."
  }
}

variable "memory_size" {
  description = "Memory in MB."
  type        = number
  default     = 256

  validation {
    condition     = var.memory_size >= 128 && var.memory_size <= 10240
    error_message = "memory_size must be between 128 and 10240 MB."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's business metrics (Powertools Metrics, POWERTOOLS_METRICS_NAMESPACE)."
  type        = string
  default     = "ServerlessPatterns"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 letters, digits or . _ / # : -, and must not start with AWS/."
  }
}

variable "environment" {
  description = "Environment variables of the function (POWERTOOLS_SERVICE_NAME defaults to the function's name). No secrets: pass names of secrets instead."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "policy_statements" {
  description = "The least-privilege IAM statements this function needs beyond its own logs and traces."
  type = list(object({
    sid       = optional(string)
    effect    = optional(string, "Allow")
    actions   = list(string)
    resources = list(string)
  }))
  default  = []
  nullable = false
}

variable "reserved_concurrent_executions" {
  description = "Reserved concurrency; -1 leaves the function unreserved."
  type        = number
  default     = -1

  validation {
    condition     = var.reserved_concurrent_executions >= -1
    error_message = "reserved_concurrent_executions must be -1 (unreserved) or a non-negative number."
  }
}

variable "dead_letter_target_arn" {
  description = "SQS queue or SNS topic ARN receiving events of failed asynchronous invocations. Required for functions invoked asynchronously."
  type        = string
  default     = null
}

variable "async_invocation" {
  description = "How Lambda treats this function's asynchronous invocations (InvocationType=Event, SNS, S3, EventBridge): retries after an error (0-2), the age after which an event is dropped (60-21600 s), and where each outcome's record goes: an SQS queue, SNS topic, Lambda function or EventBridge bus ARN. The role gets the permission to write to each destination. null leaves Lambda's defaults (2 retries, 6 hours, no destinations)."
  type = object({
    maximum_retry_attempts     = optional(number, 2)
    maximum_event_age_seconds  = optional(number, 21600)
    on_success_destination_arn = optional(string)
    on_failure_destination_arn = optional(string)
  })
  default = null

  validation {
    condition     = var.async_invocation == null ? true : var.async_invocation.maximum_retry_attempts >= 0 && var.async_invocation.maximum_retry_attempts <= 2
    error_message = "async_invocation.maximum_retry_attempts must be 0, 1 or 2."
  }

  validation {
    condition     = var.async_invocation == null ? true : var.async_invocation.maximum_event_age_seconds >= 60 && var.async_invocation.maximum_event_age_seconds <= 21600
    error_message = "async_invocation.maximum_event_age_seconds must be between 60 and 21600."
  }

  validation {
    condition = var.async_invocation == null ? true : alltrue([
      for arn in [var.async_invocation.on_success_destination_arn, var.async_invocation.on_failure_destination_arn] :
      arn == null ? true : can(regex("^arn:[a-z-]+:(sqs|sns|lambda|events):", arn))
    ])
    error_message = "async_invocation destinations must be SQS queue, SNS topic, Lambda function or EventBridge bus ARNs."
  }
}

variable "log_retention_days" {
  description = "Days to keep the function's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...)."
  }
}

variable "kms_key_arn" {
  description = "The environment's customer managed KMS key: it encrypts the function's environment variables and log group, and the role may use it through DynamoDB, SQS, SNS, S3, Secrets Manager and Kinesis (for the resources the role's other statements allow). null uses AWS managed keys."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags for every resource of the function."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "alarms" {
  description = "CloudWatch alarms on the function's errors and throttles, notifying actions (SNS topic ARNs); `errors_threshold` and `period_seconds` tune the function error alarms."
  type = object({
    enabled          = optional(bool, false)
    actions          = optional(list(string), [])
    errors_threshold = optional(number, 1)
    period_seconds   = optional(number, 300)
  })
  default  = {}
  nullable = false

  validation {
    condition     = var.alarms.errors_threshold >= 1 && contains([60, 300, 900, 3600], var.alarms.period_seconds)
    error_message = "alarms.errors_threshold must be at least 1 and alarms.period_seconds one of 60, 300, 900, 3600."
  }

  validation {
    condition     = alltrue([for arn in var.alarms.actions : can(regex("^arn:aws[a-z-]*:sns:", arn))])
    error_message = "alarms.actions must be SNS topic ARNs."
  }
}

variable "vpc" {
  description = "Subnets and security groups when the function must reach something inside a VPC (a database, a cache); null keeps it outside (faster cold starts, no NAT needed for AWS APIs)."
  type = object({
    subnet_ids         = list(string)
    security_group_ids = list(string)
  })
  default = null

  validation {
    condition     = var.vpc == null || (length(coalesce(try(var.vpc.subnet_ids, null), [])) > 0 && length(coalesce(try(var.vpc.security_group_ids, null), [])) > 0)
    error_message = "vpc needs at least one subnet and one security group."
  }
}
