variable "name" {
  description = "Prefix of the role's name (<name>-api)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_+=,.@-]{1,60}$", var.name))
    error_message = "name must be 1-60 characters IAM allows in role names."
  }
}

variable "policy_statements" {
  description = "The calls the API's integrations make, each on its resources only."
  type = list(object({
    sid       = optional(string)
    actions   = list(string)
    resources = list(string)
  }))

  validation {
    condition     = length(var.policy_statements) > 0
    error_message = "policy_statements must grant at least one call: a role that can do nothing serves no integration."
  }
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
  nullable    = false
}
