"""AWS Backup: selections kept and checked as AWS Backup checks them."""

from __future__ import annotations

from localcloud.extension import Context, Extension, Feature


def install(context: Context) -> None:
    from localcloud.backup import plans, selections

    plans.install()
    selections.install()


EXTENSION = Extension(
    service="backup",
    summary="backup selections kept and checked (jobs do not run)",
    install=install,
    features=(
        Feature(
            title="Backup selections:",
            does=(
                "`CreateBackupSelection`, `GetBackupSelection`, `ListBackupSelections` and `DeleteBackupSelection` "
                "answer as AWS Backup does; a role whose trust policy does not let `backup.amazonaws.com` assume it is "
                "refused (`InvalidParameterValueException: IAM Role <arn> cannot be assumed by AWS Backup`), so is a "
                "selection with neither resources nor tags, and a plan that still has selections cannot be deleted "
                "(`InvalidRequestException`). Backup jobs do not run: plans and selections are kept, not executed, and a "
                "vault's recovery points (`ListRecoveryPointsByBackupVault`) are none."
            ),
            moto_without="no selections at all: an `aws_backup_selection` could not be applied",
            code=("backup/selections.py",),
            tests=("localcloud/backup/test_backup_selections.py",),
        ),
        Feature(
            title="A deleted backup plan's name is free again:",
            does=(
                "`CreateBackupPlan` refuses only a name an undeleted plan holds (`AlreadyExistsException`), so an "
                "environment destroyed and applied again gets its plan back; deleted plans stay listed with their "
                "`DeletionDate` (`IncludeDeleted=True`)."
            ),
            moto_without="a deleted plan keeps its name forever: the second apply of an environment fails",
            code=("backup/plans.py",),
            tests=("localcloud/backup/test_backup_selections.py",),
        ),
    ),
)
