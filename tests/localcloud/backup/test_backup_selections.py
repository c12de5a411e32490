"""AWS Backup selections through the API: kept, listed, deleted, and refused where AWS Backup refuses them."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from conftest import make_role, trust

pytestmark = pytest.mark.localcloud


def plan(aws, unique) -> str:
    return aws("backup").create_backup_plan(
        BackupPlan={
            "BackupPlanName": unique,
            "Rules": [{"RuleName": "daily", "TargetBackupVaultName": "Default", "Lifecycle": {"DeleteAfterDays": 7}}],
        }
    )["BackupPlanId"]


def test_a_selection_is_kept_listed_and_deleted_and_guards_its_plan(aws, unique):
    backup = aws("backup")
    role = make_role(aws("iam"), f"{unique}-backup", trust=trust("backup.amazonaws.com"))
    plan_id = plan(aws, unique)
    document = {
        "SelectionName": "tables",
        "IamRoleArn": role,
        "Resources": ["arn:aws:dynamodb:us-east-1:123456789012:table/orders-*"],
    }
    selection_id = backup.create_backup_selection(BackupPlanId=plan_id, BackupSelection=document)["SelectionId"]
    got = backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    assert got["BackupSelection"]["Resources"] == document["Resources"] and got["BackupPlanId"] == plan_id
    listed = backup.list_backup_selections(BackupPlanId=plan_id)["BackupSelectionsList"]
    assert [(s["SelectionId"], s["SelectionName"], s["IamRoleArn"]) for s in listed] == [(selection_id, "tables", role)]
    with pytest.raises(ClientError, match="Related backup plan selections must be deleted") as refused:
        backup.delete_backup_plan(BackupPlanId=plan_id)
    assert refused.value.response["Error"]["Code"] == "InvalidRequestException"
    backup.delete_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    with pytest.raises(ClientError) as gone:
        backup.get_backup_selection(BackupPlanId=plan_id, SelectionId=selection_id)
    assert gone.value.response["Error"]["Code"] == "ResourceNotFoundException"
    backup.delete_backup_plan(BackupPlanId=plan_id)


def test_a_role_aws_backup_cannot_assume_is_refused_as_aws_backup_refuses_it(aws, unique):
    lambda_role = make_role(aws("iam"), f"{unique}-not-backup")  # trusts Lambda only
    plan_id = plan(aws, unique)
    with pytest.raises(ClientError, match=f"IAM Role {lambda_role} cannot be assumed by AWS Backup") as refused:
        aws("backup").create_backup_selection(
            BackupPlanId=plan_id,
            BackupSelection={
                "SelectionName": "tables",
                "IamRoleArn": lambda_role,
                "Resources": ["arn:aws:dynamodb:*:*:table/*"],
            },
        )
    assert refused.value.response["Error"]["Code"] == "InvalidParameterValueException"


def test_a_selection_without_resources_or_tags_is_refused(aws, unique):
    role = make_role(aws("iam"), f"{unique}-backup", trust=trust("backup.amazonaws.com"))
    with pytest.raises(ClientError, match="Either 'ListOfTags' or 'Resources' section must be non-empty"):
        aws("backup").create_backup_selection(
            BackupPlanId=plan(aws, unique), BackupSelection={"SelectionName": "nothing", "IamRoleArn": role}
        )


def test_a_vault_lists_no_recovery_points_as_jobs_do_not_run_and_an_unknown_vault_is_not_found(aws, unique):
    backup = aws("backup")
    backup.create_backup_vault(BackupVaultName=unique)
    assert backup.list_recovery_points_by_backup_vault(BackupVaultName=unique)["RecoveryPoints"] == []
    with pytest.raises(ClientError) as unknown:
        backup.list_recovery_points_by_backup_vault(BackupVaultName=f"{unique}-none")
    assert unknown.value.response["Error"]["Code"] == "ResourceNotFoundException"
    backup.delete_backup_vault(BackupVaultName=unique)


def test_a_deleted_plans_name_can_be_taken_again_while_a_live_plans_cannot(aws, unique):
    backup = aws("backup")
    first = plan(aws, unique)
    with pytest.raises(ClientError) as taken:
        plan(aws, unique)
    assert taken.value.response["Error"]["Code"] == "AlreadyExistsException"
    backup.delete_backup_plan(BackupPlanId=first)
    second = plan(aws, unique)
    assert second != first
    listed = backup.list_backup_plans(IncludeDeleted=True)["BackupPlansList"]
    assert {p["BackupPlanId"] for p in listed if p["BackupPlanName"] == unique} == {first, second}
