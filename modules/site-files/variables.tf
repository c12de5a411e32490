variable "bucket_name" {
  description = "The bucket the files go to (the site's private bucket)."
  type        = string
}

variable "source_dir" {
  description = "Folder of the built site; every file under it is uploaded, keyed by its path below it."
  type        = string

  validation {
    condition     = length(fileset(var.source_dir, "**")) > 0
    error_message = "source_dir must be a folder holding the site's files."
  }
}

variable "key_prefix" {
  description = "Prefix of every key (\"ui/\" serves the files under /ui/); empty puts them at the bucket's root."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.key_prefix == "" ? true : can(regex("^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*/$", var.key_prefix))
    error_message = "key_prefix must be empty or path segments ending in a slash, such as ui/ (no leading slash)."
  }
}

variable "exclude" {
  description = "Paths below source_dir not to upload (a file the caller writes itself, such as config.json)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "tags" {
  description = "Tags for every object."
  type        = map(string)
  default     = {}
}
