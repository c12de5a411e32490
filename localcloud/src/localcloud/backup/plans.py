"""A deleted backup plan's name is free again, as in AWS Backup.

moto keeps a deleted plan (with its `DeletionDate`, for `ListBackupPlans(IncludeDeleted=True)`) and still
counts its name at `CreateBackupPlan`, answering `AlreadyExistsException: Backup plan with the same plan
document already exists`. So an environment destroyed and applied again (the usual Terraform cycle) could
not get its plan back. Here only plans that are not deleted hold their names; deleted ones stay listed.
"""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()


def install() -> None:
    from moto.backup.models import BackupBackend

    original = BackupBackend.create_backup_plan

    def create_backup_plan(self: BackupBackend, backup_plan: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        name = backup_plan.get("BackupPlanName")
        with _lock:
            deleted = {
                plan_id: plan
                for plan_id, plan in self.plans.items()
                if plan.deletion_date and plan.backup_plan.get("BackupPlanName") == name
            }
            for plan_id in deleted:
                del self.plans[plan_id]
            try:
                return original(self, backup_plan, *args, **kwargs)
            finally:
                self.plans.update(deleted)

    BackupBackend.create_backup_plan = create_backup_plan  # type: ignore[method-assign]
