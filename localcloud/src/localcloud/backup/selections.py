"""AWS Backup selections: which resources a backup plan protects, and the role AWS Backup uses for them.
moto keeps plans and vaults but had no selections, so no Terraform `aws_backup_selection` could apply.

What AWS Backup refuses at CreateBackupSelection, refused the same way (InvalidParameterValueException):
a role whose trust policy does not let `backup.amazonaws.com` assume it ("IAM Role <arn> cannot be assumed
by AWS Backup"), and a selection naming neither resources nor tags. A plan with selections cannot be
deleted (InvalidRequestException), as in AWS. Jobs do not run: plans and selections are kept, not executed,
so a vault's recovery points (ListRecoveryPointsByBackupVault, which the provider reads before it deletes a
vault) are always none.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from moto.core.utils import unix_time
from moto.moto_api._internal import mock_random

from localcloud.core import iam

_lock = threading.Lock()


@dataclass
class Selection:
    selection_id: str
    plan_id: str
    document: dict[str, Any]
    creator_request_id: str | None
    creation_date: float = field(default_factory=unix_time)

    def summary(self) -> dict[str, Any]:
        return {
            "SelectionId": self.selection_id,
            "SelectionName": self.document.get("SelectionName"),
            "BackupPlanId": self.plan_id,
            "CreationDate": self.creation_date,
            "CreatorRequestId": self.creator_request_id,
            "IamRoleArn": self.document.get("IamRoleArn"),
        }


def _selections(backend: Any) -> dict[str, Selection]:
    with _lock:
        if not hasattr(backend, "localcloud_selections"):
            backend.localcloud_selections = {}
        return backend.localcloud_selections  # type: ignore[no-any-return]


def _plan(backend: Any, plan_id: str) -> Any:
    from moto.backup.exceptions import ResourceNotFoundException

    plan = backend.plans.get(plan_id)
    if plan is None or plan.deletion_date is not None:
        raise ResourceNotFoundException(msg=f"Failed reading Backup plan with provided version: {plan_id}")
    return plan


def create(backend: Any, plan_id: str, document: dict[str, Any], creator_request_id: str | None) -> Selection:
    from moto.backup.exceptions import InvalidParameterValueException

    _plan(backend, plan_id)
    if not document.get("SelectionName") or not document.get("IamRoleArn"):
        raise InvalidParameterValueException(msg="SelectionName and IamRoleArn are required")
    if not document.get("Resources") and not document.get("ListOfTags"):
        raise InvalidParameterValueException(
            msg="Invalid backup selection. Either 'ListOfTags' or 'Resources' section must be non-empty."
        )
    role_arn = str(document["IamRoleArn"])
    role = iam.role_by_arn(role_arn)
    if role is None or not iam.trusts(role, "backup.amazonaws.com", source_account=str(backend.account_id)):
        raise InvalidParameterValueException(msg=f"IAM Role {role_arn} cannot be assumed by AWS Backup")
    selection = Selection(str(mock_random.uuid4()), plan_id, document, creator_request_id)
    _selections(backend)[selection.selection_id] = selection
    return selection


def get(backend: Any, plan_id: str, selection_id: str) -> Selection:
    from moto.backup.exceptions import ResourceNotFoundException

    selection = _selections(backend).get(selection_id)
    if selection is None or selection.plan_id != plan_id:
        raise ResourceNotFoundException(msg=f"Failed reading backup selection {selection_id} of plan {plan_id}")
    return selection


def delete(backend: Any, plan_id: str, selection_id: str) -> None:
    get(backend, plan_id, selection_id)
    _selections(backend).pop(selection_id, None)


def of_plan(backend: Any, plan_id: str) -> list[Selection]:
    return [s for s in _selections(backend).values() if s.plan_id == plan_id]


def _ids(path: str) -> tuple[str, str]:
    """The plan and selection ids of /backup/plans/{plan}/selections/{selection}."""
    parts = [p for p in path.split("?")[0].split("/") if p]
    plan_id = parts[parts.index("plans") + 1]
    selection_id = parts[parts.index("selections") + 1] if len(parts) > parts.index("selections") + 1 else ""
    return plan_id, selection_id


def install() -> None:
    from moto.backup import urls
    from moto.backup.exceptions import InvalidRequestException
    from moto.backup.models import BackupBackend
    from moto.backup.responses import BackupResponse

    def create_backup_selection(self: Any) -> str:
        plan_id, _ = _ids(self.path)
        params = json.loads(self.body or "{}")
        selection = create(
            self.backup_backend, plan_id, params.get("BackupSelection") or {}, params.get("CreatorRequestId")
        )
        return json.dumps(
            {
                "SelectionId": selection.selection_id,
                "BackupPlanId": plan_id,
                "CreationDate": selection.creation_date,
            }
        )

    def get_backup_selection(self: Any) -> str:
        selection = get(self.backup_backend, *_ids(self.path))
        return json.dumps(
            {
                "BackupSelection": selection.document,
                "SelectionId": selection.selection_id,
                "BackupPlanId": selection.plan_id,
                "CreationDate": selection.creation_date,
                "CreatorRequestId": selection.creator_request_id,
            }
        )

    def delete_backup_selection(self: Any) -> str:
        delete(self.backup_backend, *_ids(self.path))
        return "{}"

    def list_backup_selections(self: Any) -> str:
        plan_id, _ = _ids(self.path)
        _plan(self.backup_backend, plan_id)
        return json.dumps({"BackupSelectionsList": [s.summary() for s in of_plan(self.backup_backend, plan_id)]})

    def list_recovery_points_by_backup_vault(self: Any) -> str:
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        self.backup_backend.describe_backup_vault(parts[parts.index("backup-vaults") + 1])  # an unknown one: 404
        return json.dumps({"RecoveryPoints": []})

    delete_plan = BackupBackend.delete_backup_plan

    def delete_backup_plan(self: Any, backup_plan_id: str) -> Any:
        if of_plan(self, backup_plan_id):
            raise InvalidRequestException(
                msg="Related backup plan selections must be deleted prior to backup plan deletion"
            )
        return delete_plan(self, backup_plan_id)

    BackupResponse.create_backup_selection = create_backup_selection
    BackupResponse.get_backup_selection = get_backup_selection
    BackupResponse.delete_backup_selection = delete_backup_selection
    BackupResponse.list_backup_selections = list_backup_selections
    BackupResponse.list_recovery_points_by_backup_vault = list_recovery_points_by_backup_vault
    BackupBackend.delete_backup_plan = delete_backup_plan
    urls.url_paths[r"{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/$"] = BackupResponse.dispatch
