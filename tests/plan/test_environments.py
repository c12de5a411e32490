"""Every environment plans cleanly and keeps its invariants."""

from __future__ import annotations

import pytest

from harness import ROOT, plan_root, planned_resources

pytestmark = pytest.mark.plan

ENVIRONMENTS = ["local", "dev", "staging", "prod"]
ENV_DIR = ROOT / "environments"


@pytest.fixture(scope="module")
def plans(local_cloud, tmp_path_factory) -> dict[str, list[dict]]:
    return {env: planned_resources(plan_root(ENV_DIR / env, local_cloud, tmp_path_factory.mktemp(f"plan-{env}")))
            for env in ENVIRONMENTS}


def of_type(resources: list[dict], resource_type: str) -> list[dict]:
    return [r for r in resources if r["type"] == resource_type]


def shared_keys(resources: list[dict]) -> list[dict]:
    """The environment's customer managed key (P10's topic has its own key everywhere)."""
    return [r for r in of_type(resources, "aws_kms_key") if r["address"].startswith("module.kms_key")]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_plans_every_function_traced_with_its_own_log_retention(plans, env):
    resources = plans[env]
    functions = of_type(resources, "aws_lambda_function")
    assert len(functions) == 13, ("P01's four operations, P14's and P13's consumers, P12's three subscribers, "
                                  "P15's trigger, P11's three processors")
    assert all(f["values"]["tracing_config"] == [{"mode": "Active"}] for f in functions)
    retention = {g["values"]["retention_in_days"] for g in of_type(resources, "aws_cloudwatch_log_group")}
    expected = {"local": 1, "dev": 14, "staging": 30, "prod": 365}[env]
    assert retention == {expected}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_table_is_encrypted_and_every_stage_traced(plans, env):
    tables = of_type(plans[env], "aws_dynamodb_table")
    assert tables and all(t["values"]["server_side_encryption"][0]["enabled"] for t in tables)
    stages = of_type(plans[env], "aws_api_gateway_stage")
    assert stages and all(s["values"]["xray_tracing_enabled"] for s in stages)


def test_prod_tables_have_deletion_protection_pitr_and_a_customer_managed_key(plans):
    items = [t for t in of_type(plans["prod"], "aws_dynamodb_table") if t["values"]["name"].endswith(("-items", "-ledger"))]
    assert len(items) == 2 and all(t["values"]["deletion_protection_enabled"] for t in items)
    results = [t for t in of_type(plans["prod"], "aws_dynamodb_table") if not t["values"]["name"].endswith("-idempotency")]
    assert all(t["values"]["point_in_time_recovery"][0]["enabled"] for t in results)
    # the key's ARN is known only after apply: prod queues are at least not on SQS-managed keys
    queues = of_type(plans["prod"], "aws_sqs_queue")
    assert queues and not any(q["values"].get("sqs_managed_sse_enabled") for q in queues)
    assert len(shared_keys(plans["prod"])) == 1
    api_functions = [f for f in of_type(plans["prod"], "aws_lambda_function") if "-items-" in f["values"]["function_name"]]
    assert len(api_functions) == 4 and all(f["values"]["reserved_concurrent_executions"] == 50 for f in api_functions)


def test_only_local_serves_the_api_without_authorization(plans):
    for env in ENVIRONMENTS:
        methods = of_type(plans[env], "aws_api_gateway_method")
        expected = "NONE" if env == "local" else "AWS_IAM"
        assert {m["values"]["authorization"] for m in methods} == {expected}, env


def test_dev_has_no_customer_managed_key_or_pitr(plans):
    assert shared_keys(plans["dev"]) == []
    assert not any(t["values"].get("point_in_time_recovery", [{}])[0].get("enabled")
                   for t in of_type(plans["dev"], "aws_dynamodb_table"))
    assert all(q["values"]["sqs_managed_sse_enabled"] for q in of_type(plans["dev"], "aws_sqs_queue"))


def test_every_dead_letter_queue_alarms_and_staging_and_prod_alarm_on_every_functions_errors(plans):
    for env in ENVIRONMENTS:
        alarms = [a["values"] for a in of_type(plans[env], "aws_cloudwatch_metric_alarm")]
        dlqs = [q for q in of_type(plans[env], "aws_sqs_queue") if "-dlq" in q["values"]["name"]]
        dlq_alarms = [a for a in alarms if a["metric_name"] == "ApproximateNumberOfMessagesVisible"]
        assert len(dlq_alarms) == len(dlqs) >= 12, env  # P14, P13, P12 x3, P15's trigger and three, P11 x3
        delivery_alarms = [a for a in alarms if a["metric_name"] == "NumberOfNotificationsFailed"]
        assert len(delivery_alarms) == 1, env  # P10's topic
        others = sorted(a["metric_name"] for a in alarms if a not in dlq_alarms + delivery_alarms)
        functions = len(of_type(plans[env], "aws_lambda_function"))
        if env in ("local", "dev"):
            assert others == [], env
        else:
            assert others.count("Errors") == others.count("Throttles") == functions, env
            assert others.count("5XXError") == 1, env  # P01's API


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ledger_events_ride_a_fifo_queue_with_a_fifo_dead_letter_queue(plans, env):
    queues = {q["values"]["name"]: q["values"] for q in of_type(plans[env], "aws_sqs_queue")}
    ledger = {name: values for name, values in queues.items() if name.startswith(f"sp-{env}-ledger-")}
    assert sorted(ledger) == [f"sp-{env}-ledger-events-dlq.fifo", f"sp-{env}-ledger-events.fifo"]
    assert all(values["fifo_queue"] and values["content_based_deduplication"] for values in ledger.values())


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_topic_is_encrypted_and_the_notifier_has_its_own_rotating_key(plans, env):
    topics = of_type(plans[env], "aws_sns_topic")
    assert len(topics) == 4, "P12's, P15's, P10's and P11's topics"
    notifier_keys = [k for k in of_type(plans[env], "aws_kms_key") if k["address"].startswith("module.notifier")]
    assert len(notifier_keys) == 1 and notifier_keys[0]["values"]["enable_key_rotation"]
    for topic in topics:
        if topic["address"].startswith(("module.notifier", "module.pub_sub")):
            continue  # keys of their own (S3 and other accounts cannot use AWS managed keys), known after apply
        # prod's customer managed key is known only after apply; elsewhere SNS's AWS managed key
        expected = None if env == "prod" else "alias/aws/sns"
        assert topic["values"].get("kms_master_key_id") == expected, topic["address"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_buckets_are_private_and_only_prod_keeps_them_from_destroy_with_content(plans, env):
    buckets = of_type(plans[env], "aws_s3_bucket")
    assert len(buckets) == 2, "P11's uploads and outputs"
    assert {b["values"]["force_destroy"] for b in buckets} == {env != "prod"}  # follows deletion_protection
    blocks = of_type(plans[env], "aws_s3_bucket_public_access_block")
    assert len(blocks) == 2 and all(b["values"]["restrict_public_buckets"] for b in blocks)
