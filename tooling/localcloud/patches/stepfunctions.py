"""Step Functions calls the provider makes and moto lacks (the provider retries
a NotImplemented answer forever, so apply, plan and destroy hang)."""

from __future__ import annotations

from typing import Any

from moto.stepfunctions import responses as sfn_responses


def _validate(definition: str) -> list[dict[str, str]]:
    """Diagnostics for a definition, using moto's own ASL parser."""
    from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

    try:
        AmazonStateLanguageParser.parse(definition)
    except Exception as exc:  # the parser raises assorted types; each is a diagnostic
        return [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": str(exc)[:500],
                 "location": "/"}]
    return []


def install() -> None:
    Response = sfn_responses.StepFunctionResponse

    def validate_state_machine_definition(self: Any) -> Any:
        diagnostics = _validate(self._get_param("definition"))
        return sfn_responses.ActionResult({"result": "FAIL" if diagnostics else "OK",
                                           "diagnostics": diagnostics, "truncated": False})

    def list_state_machine_versions(self: Any) -> Any:
        machine = self.stepfunction_backend.describe_state_machine(self._get_param("stateMachineArn"))
        versions = [
            {"stateMachineVersionArn": v.arn, "creationDate": v.creation_date}
            for _, v in sorted(getattr(machine, "versions", {}).items(), reverse=True)
        ]
        return sfn_responses.ActionResult({"stateMachineVersions": versions})

    Response.validate_state_machine_definition = validate_state_machine_definition
    Response.list_state_machine_versions = list_state_machine_versions
