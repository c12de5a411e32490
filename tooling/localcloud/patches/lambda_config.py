"""Lambda configuration moto drops, which Terraform then sees as a permanent diff.

moto neither stores nor returns DeadLetterConfig and LoggingConfig, and its
UpdateFunctionConfiguration ignores TracingConfig and KMSKeyArn.
"""

from __future__ import annotations

from typing import Any

from moto.awslambda import models as lambda_models

KEPT = {
    "DeadLetterConfig": "dead_letter_config",
    "LoggingConfig": "logging_config",
}


def _logging_config(fn: Any, value: dict | None) -> dict:
    config = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{fn.function_name}"}
    config.update(value or {})
    return config


def install() -> None:
    Function = lambda_models.LambdaFunction
    original_init = Function.__init__
    original_get_configuration = Function.get_configuration
    original_update_configuration = Function.update_configuration

    def __init__(self: Any, account_id: str, spec: dict[str, Any], region: str, version: Any = 1) -> None:
        original_init(self, account_id, spec, region, version)
        self.dead_letter_config = spec.get("DeadLetterConfig") or None
        self.logging_config = _logging_config(self, spec.get("LoggingConfig"))

    def get_configuration(self: Any, on_create: bool = False) -> dict[str, Any]:
        config = original_get_configuration(self, on_create)
        if getattr(self, "dead_letter_config", None) and self.dead_letter_config.get("TargetArn"):
            config["DeadLetterConfig"] = self.dead_letter_config
        config["LoggingConfig"] = getattr(self, "logging_config", None) or _logging_config(self, None)
        return config

    def update_configuration(self: Any, config_updates: dict[str, Any]) -> dict[str, Any]:
        if "DeadLetterConfig" in config_updates:
            self.dead_letter_config = config_updates["DeadLetterConfig"] or None
        if "LoggingConfig" in config_updates:
            self.logging_config = _logging_config(self, config_updates["LoggingConfig"])
        if "TracingConfig" in config_updates:
            self.tracing_config = config_updates["TracingConfig"]
        if "KMSKeyArn" in config_updates:
            self.kms_key_arn = config_updates["KMSKeyArn"] or None
        return original_update_configuration(self, config_updates)

    Function.__init__ = __init__
    Function.get_configuration = get_configuration
    Function.update_configuration = update_configuration
