"""P19 state machine: an order workflow (Choice, Parallel, Map, Retry, Catch) run on the local cloud."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest
from botocore.config import Config

from harness import Stack, applied_stack, as_role, authorized, finished_execution, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "state-machine",
        local_cloud,
        tmp_path_factory.mktemp("p19"),
        code="p19",
        variables={"package_path": str(package_zip("state-machine"))},
    ) as applied:
        yield applied


def outputs(stack: Stack, which: str = "standard") -> dict:
    return stack.outputs[which]


def stock(stack: Stack, which: str = "standard", **levels: int) -> None:
    ddb = stack.client("dynamodb")
    for sku, quantity in levels.items():
        ddb.put_item(
            TableName=outputs(stack, which)["inventory_table_name"],
            Item={"sku": {"S": sku.replace("_", "-")}, "stock": {"N": str(quantity)}},
        )


def order(**overrides) -> dict:
    return {
        "orderId": f"o-{uuid.uuid4().hex[:10]}",
        "customer": "Ada",
        "priority": "standard",
        "items": [
            {"sku": "LAMP-1", "quantity": 1, "price": "40.00"},
            {"sku": "BULB-2", "quantity": 4, "price": "2.50"},
        ],
        **overrides,
    }


def run(stack: Stack, payload: dict, timeout: float = 60.0) -> tuple[dict, list[dict]]:
    sfn = stack.client("stepfunctions")
    arn = sfn.start_execution(stateMachineArn=outputs(stack)["state_machine_arn"], input=json.dumps(payload))[
        "executionArn"
    ]
    described = finished_execution(sfn, arn, timeout)
    return described, sfn.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def order_record(stack: Stack, order_id: str, which: str = "standard") -> dict:
    items = stack.client("dynamodb").query(
        TableName=outputs(stack, which)["orders_table_name"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"ORDER#{order_id}"}},
        ConsistentRead=True,
    )["Items"]
    return {item["sk"]["S"]: {k: list(v.values())[0] for k, v in item.items()} for item in items}


def entered(events: list[dict]) -> list[str]:
    return [e["stateEnteredEventDetails"]["name"] for e in events if e["type"].endswith("StateEntered")]


def test_an_order_goes_through_every_branch_and_is_confirmed(stack):
    stock(stack, LAMP_1=10, BULB_2=100)
    payload = order()
    started = time.monotonic()
    described, events = run(stack, payload)
    took = time.monotonic() - started
    assert described["status"] == "SUCCEEDED", described
    states = entered(events)
    for state in (
        "Validate",
        "Checks",
        "CheckStock",
        "ScoreRisk",
        "Review",
        "Ship",
        "StandardShipping",
        "PackItems",
        "PackItem",
        "Confirm",
        "Done",
    ):
        assert state in states, (state, states)
    assert states.count("PackItem") == 2
    output = json.loads(described["output"])
    assert output["checks"] == {"inStock": True, "risk": "low"} and output["shipping"]["carrier"] == "ground"
    record = order_record(stack, payload["orderId"])
    assert record["ORDER"]["status"] == "CONFIRMED"
    assert {sk: r["quantity"] for sk, r in record.items() if sk.startswith("PICK#")} == {
        "PICK#LAMP-1": "1",
        "PICK#BULB-2": "4",
    }
    print(f"\nP19: {len(set(states))} distinct states ({len(states)} entered) in {took:.2f} s end to end")


def test_express_priority_takes_the_other_branch(stack):
    stock(stack, LAMP_1=10, BULB_2=100)
    described, events = run(stack, order(priority="express"))
    assert described["status"] == "SUCCEEDED"
    assert "ExpressShipping" in entered(events) and "StandardShipping" not in entered(events)


def test_a_large_order_is_held_for_review(stack):
    stock(stack, LAMP_1=1000, BULB_2=100)
    payload = order(items=[{"sku": "LAMP-1", "quantity": 200, "price": "40.00"}])
    described, events = run(stack, payload)
    assert described["status"] == "SUCCEEDED" and "Held" in entered(events) and "PackItems" not in entered(events)
    assert order_record(stack, payload["orderId"])["ORDER"]["status"] == "HELD"


@pytest.mark.failure_mode
def test_a_transient_stock_lock_is_retried_until_it_frees_up(stack):
    stock(stack, LAMP_1=10, BULB_2=100)
    ddb = stack.client("dynamodb")
    ddb.update_item(
        TableName=outputs(stack)["inventory_table_name"],
        Key={"sku": {"S": "LAMP-1"}},
        UpdateExpression="SET lockedUntil = :t",
        ExpressionAttributeValues={":t": {"N": str(time.time() + 1.5)}},
    )
    described, events = run(stack, order())
    assert described["status"] == "SUCCEEDED", described
    failures = [e["lambdaFunctionFailedEventDetails"]["error"] for e in events if e["type"] == "LambdaFunctionFailed"]
    assert failures and set(failures) == {"InventoryBusy"}, failures  # retried, visible in the history
    assert len([e for e in events if e["type"] == "LambdaFunctionSucceeded"]) >= 5


@pytest.mark.failure_mode
def test_a_permanent_error_is_caught_into_the_failure_state_and_recorded(stack):
    stock(stack, LAMP_1=0, BULB_2=100)
    payload = order()
    described, events = run(stack, payload)
    assert (described["status"], described["error"]) == ("FAILED", "Order.Failed")
    failures = [e["lambdaFunctionFailedEventDetails"] for e in events if e["type"] == "LambdaFunctionFailed"]
    assert [f["error"] for f in failures] == ["OutOfStock"]  # not retried
    states = entered(events)
    assert states[-2:] == ["RecordFailure", "Failed"] and "PackItems" not in states
    record = order_record(stack, payload["orderId"])
    assert record["ORDER"]["status"] == "FAILED" and record["ORDER"]["failure"] == "OutOfStock"
    assert record["ORDER"]["reason"] == "LAMP-1: 1 wanted, 0 in stock"
    assert not any(sk.startswith("PICK#") for sk in record)


@pytest.mark.failure_mode
def test_an_invalid_order_is_rejected_before_anything_is_recorded(stack):
    described, events = run(stack, {"orderId": "bad order!", "customer": "Ada", "items": []})
    assert (described["status"], described["error"]) == ("FAILED", "Order.Invalid")
    assert entered(events) == ["Validate", "Rejected"]


@pytest.mark.failure_mode
def test_failed_executions_are_in_the_workflows_log(stack):
    stock(stack, LAMP_1=0, BULB_2=0)
    described, _ = run(stack, order())
    assert described["status"] == "FAILED"
    logs = stack.client("logs").filter_log_events(logGroupName=outputs(stack)["log_group_name"])["events"]
    logged = [json.loads(e["message"]) for e in logs]
    assert any(
        entry["type"] == "ExecutionFailed" and entry["execution_arn"] == described["executionArn"] for entry in logged
    )


def test_tracing_and_logging_are_on(stack):
    described = stack.client("stepfunctions").describe_state_machine(
        stateMachineArn=outputs(stack)["state_machine_arn"]
    )
    assert described["tracingConfiguration"] == {"enabled": True}
    assert described["loggingConfiguration"]["level"] == "ERROR"
    assert described["type"] == "STANDARD"


def test_the_express_workflow_answers_synchronously(stack):
    stock(stack, "express", LAMP_1=10, BULB_2=100)
    payload = order()
    sfn = stack.client("stepfunctions", config=Config(inject_host_prefix=False))
    answer = sfn.start_sync_execution(
        stateMachineArn=outputs(stack, "express")["state_machine_arn"], input=json.dumps(payload)
    )
    assert answer["status"] == "SUCCEEDED", answer
    assert json.loads(answer["output"])["outcome"]["status"] == "CONFIRMED"
    assert order_record(stack, payload["orderId"], "express")["ORDER"]["status"] == "CONFIRMED"


def test_the_workflow_alarm_counts_failed_timed_out_and_aborted_executions(stack):
    machine = outputs(stack)["state_machine_arn"].rsplit(":", 1)[1]
    (alarm,) = stack.client("cloudwatch").describe_alarms(AlarmNames=[f"{machine}-executions-failed"])["MetricAlarms"]
    watched = {q["MetricStat"]["Metric"]["MetricName"] for q in alarm["Metrics"] if "MetricStat" in q}
    assert watched == {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted"}
    (summed,) = [q for q in alarm["Metrics"] if q.get("ReturnData")]
    assert summed["Expression"] == "FILL(failed, 0) + FILL(timed_out, 0) + FILL(aborted, 0)"


# What each task's role may do, and nothing else: (table, action) pairs.
TASK_GRANTS = {
    "validate": {("orders", "PutItem")},
    "check-stock": {("inventory", "BatchGetItem")},
    "score-risk": set(),
    "pack-item": {("orders", "PutItem")},
    "record-outcome": {("orders", "UpdateItem")},
}


@pytest.mark.failure_mode
def test_each_task_runs_as_a_role_allowed_only_its_own_table_action(stack):
    out = outputs(stack)
    tables = {"orders": out["orders_table_name"], "inventory": out["inventory_table_name"]}
    keys = {
        "orders": {"pk": {"S": "authz-probe"}, "sk": {"S": "authz-probe"}},
        "inventory": {"sku": {"S": "authz-probe"}},
    }

    def may(client: object, table: str, action: str) -> bool:
        name, key = tables[table], keys[table]
        calls = {
            "GetItem": lambda: authorized(client.get_item, TableName=name, Key=key),
            "PutItem": lambda: authorized(client.put_item, TableName=name, Item={**key, "probe": {"S": "x"}}),
            "UpdateItem": lambda: authorized(
                client.update_item,
                TableName=name,
                Key=key,
                UpdateExpression="SET probe = :p",
                ExpressionAttributeValues={":p": {"S": "x"}},
            ),
            "DeleteItem": lambda: authorized(client.delete_item, TableName=name, Key=key),
            "BatchGetItem": lambda: authorized(client.batch_get_item, RequestItems={name: {"Keys": [key]}}),
            "Scan": lambda: authorized(client.scan, TableName=name, Limit=1),
        }
        return calls[action]()

    actions = ["GetItem", "PutItem", "UpdateItem", "DeleteItem", "BatchGetItem", "Scan"]
    for task, grants in TASK_GRANTS.items():
        client = as_role(stack, out["task_role_names"][task], "dynamodb")
        allowed = {(table, action) for table in tables for action in actions if may(client, table, action)}
        assert allowed == grants, task
    workflow = as_role(stack, out["workflow_role_name"], "dynamodb")
    assert not any(may(workflow, table, action) for table in tables for action in actions)


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
