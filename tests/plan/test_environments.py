"""Every environment plans cleanly, without deprecations, and keeps its invariants."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest

from harness import ROOT, plan_root, planned_resources, record_stack_timings
from tooling import patterns
from tooling.terraform import Plan, TerraformError

pytestmark = pytest.mark.plan

ENVIRONMENTS = ["local", "dev", "staging", "prod"]
ENV_DIR = ROOT / "environments"
COMPOSITION = "module.patterns."
PATTERNS = patterns.available()


@pytest.fixture(scope="module")
def planned(local_cloud, tmp_path_factory) -> dict[str, Plan]:
    started, began = time.monotonic(), time.time()
    plans = {env: plan_root(ENV_DIR / env, local_cloud, tmp_path_factory.mktemp(f"plan-{env}")) for env in ENVIRONMENTS}
    record_stack_timings(
        {
            "stack": "plan: environments",
            "started": began,
            "apply_s": time.monotonic() - started,
            "tests_s": 0.0,
            "destroy_s": 0.0,
        }
    )
    return plans


@pytest.fixture(scope="module")
def plans(planned) -> dict[str, list[dict]]:
    return {env: planned_resources(plan.json) for env, plan in planned.items()}


def of_type(resources: list[dict], resource_type: str) -> list[dict]:
    return [r for r in resources if r["type"] == resource_type]


def changes_of_type(plan: Plan, resource_type: str) -> list[dict[str, Any]]:
    """The planned changes of a type: `after` values and `after_unknown` (known only after apply)."""
    return [c for c in plan.json["resource_changes"] if c["type"] == resource_type]


def per_pattern(resources: list[dict]) -> dict[str, int]:
    """How many of the resources each pattern's module holds, by pattern name."""
    counts: dict[str, int] = {}
    for resource in resources:
        module = resource["address"].removeprefix(COMPOSITION).split(".")[1].split("[")[0]
        name = module.replace("_", "-")
        counts[name] = counts.get(name, 0) + 1
    return counts


def shared_keys(resources: list[dict]) -> list[dict]:
    """The environment's customer managed key (P10's and P11's topics have keys of their own)."""
    return [r for r in of_type(resources, "aws_kms_key") if r["address"].startswith(f"{COMPOSITION}module.kms_key")]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_plans_without_deprecation_warnings(planned, env):
    """The 6.x provider removes what 5.100 deprecates: a deprecation today is a broken module tomorrow."""
    deprecations = [str(w) for w in planned[env].warnings if w.is_deprecation]
    assert deprecations == []


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_environment_plans_every_function_traced_with_its_own_log_retention(plans, env):
    resources = plans[env]
    functions = of_type(resources, "aws_lambda_function")
    assert per_pattern(functions) == {p.name: p.functions for p in PATTERNS if p.functions}, (
        "each pattern deploys the functions its pattern.toml counts ([deploys] functions)"
    )
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


def test_prod_tables_have_deletion_protection_pitr_and_a_customer_managed_key(plans, planned):
    tables = of_type(plans["prod"], "aws_dynamodb_table")
    # Tables whose every record expires (idempotency records, P22's recent failures) restore nothing of value.
    kept = [t for t in tables if not t["values"]["name"].endswith(("-idempotency", "-failures"))]
    assert per_pattern(kept) == {p.name: p.kept_tables for p in PATTERNS if p.kept_tables}, (
        "each pattern keeps the tables its pattern.toml counts ([deploys] kept_tables)"
    )
    assert all(t["values"]["deletion_protection_enabled"] for t in kept)
    assert all(t["values"]["point_in_time_recovery"][0]["enabled"] for t in kept)
    for table in changes_of_type(planned["prod"], "aws_dynamodb_table"):
        assert table["change"]["after_unknown"]["server_side_encryption"][0]["kms_key_arn"], table["address"]
    assert len(shared_keys(plans["prod"])) == 1
    api_functions = [
        f for f in of_type(plans["prod"], "aws_lambda_function") if "-items-" in f["values"]["function_name"]
    ]
    assert len(api_functions) == 4 and all(f["values"]["reserved_concurrent_executions"] == 50 for f in api_functions)


def test_prod_databases_and_caches_are_protected_and_encrypted_with_the_environments_key(planned, plans):
    """P23's and P24's PostgreSQL and P24's cache: Multi-AZ, deletion-protected, private, on the shared key."""
    databases = of_type(plans["prod"], "aws_db_instance")
    assert len(databases) == 2, [d["address"] for d in databases]
    for database in databases:
        values = database["values"]
        assert values["multi_az"] and values["deletion_protection"] and values["storage_encrypted"], database["address"]
        assert not values["publicly_accessible"] and values["manage_master_user_password"], database["address"]
    for env, resources in plans.items():
        # A pinned minor is retired by RDS within about a year; auto minor upgrades then fight the pin.
        versions = {d["values"]["engine_version"] for d in of_type(resources, "aws_db_instance")}
        assert versions == {"16"} and all(
            d["values"]["auto_minor_version_upgrade"] for d in of_type(resources, "aws_db_instance")
        ), env
    for change in changes_of_type(planned["prod"], "aws_db_instance"):
        assert change["change"]["after_unknown"]["kms_key_id"], change["address"]
    caches = changes_of_type(planned["prod"], "aws_elasticache_serverless_cache")
    assert len(caches) == 1 and caches[0]["change"]["after_unknown"]["kms_key_id"], caches
    for env in ("local", "dev", "staging"):
        assert all(not d["values"]["deletion_protection"] for d in of_type(plans[env], "aws_db_instance")), env


def test_prod_databases_grow_their_storage_to_a_ceiling_and_keep_a_week_of_cache_snapshots(plans):
    for env, resources in plans.items():
        ceilings = {d["values"].get("max_allocated_storage") or 0 for d in of_type(resources, "aws_db_instance")}
        snapshots = {
            c["values"]["snapshot_retention_limit"] for c in of_type(resources, "aws_elasticache_serverless_cache")
        }
        if env == "prod":
            assert ceilings == {100} and snapshots == {7}, env
        else:
            assert ceilings == {0} and snapshots == {0}, env


def test_prod_backs_up_every_table_and_database_of_the_environment_and_the_others_nothing(plans):
    import fnmatch

    for env, resources in plans.items():
        selections = of_type(resources, "aws_backup_selection")
        if env != "prod":
            assert selections == [] and of_type(resources, "aws_backup_vault") == [], env
            continue
        (selection,) = selections
        patterns = selection["values"]["resources"]
        tables = [t["values"]["name"] for t in of_type(resources, "aws_dynamodb_table")]
        databases = [d["values"]["identifier"] for d in of_type(resources, "aws_db_instance")]
        assert len(tables) >= 20 and len(databases) == 2
        for kind, name in [("dynamodb", n) for n in tables] + [("rds", n) for n in databases]:
            arn = f"arn:aws:{kind}:eu-west-1:123456789012:{'table/' if kind == 'dynamodb' else 'db:'}{name}"
            assert any(fnmatch.fnmatchcase(arn, pattern) for pattern in patterns), (arn, patterns)
        (plan,) = of_type(resources, "aws_backup_plan")
        assert [r["lifecycle"][0]["delete_after"] for r in plan["values"]["rule"]] == [35]
        (role,) = [r for r in of_type(resources, "aws_iam_role") if r["values"]["name"] == "sp-prod-backup"]
        trust = json.loads(role["values"]["assume_role_policy"])["Statement"][0]
        assert trust["Principal"] == {"Service": "backup.amazonaws.com"} and "aws:SourceAccount" in json.dumps(trust)


def test_every_prod_queue_is_encrypted_with_the_environments_key(planned):
    """The key's ARN is known only after apply: each queue must take it (unknown now), not SQS-managed keys."""
    queues = changes_of_type(planned["prod"], "aws_sqs_queue")
    assert len(queues) >= 20
    for queue in queues:
        assert queue["change"]["after_unknown"].get("kms_master_key_id") is True, queue["address"]
        assert not queue["change"]["after"].get("sqs_managed_sse_enabled"), queue["address"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_rest_stage_logs_at_the_environments_level(plans, env):
    expected = {"local": "INFO", "dev": "INFO", "staging": "ERROR", "prod": "ERROR"}[env]
    settings = of_type(plans[env], "aws_api_gateway_method_settings")
    assert len(settings) == 8, "P01's, P14's, P12's, P09's, P02's, P25's, P28's and P30's stages"
    assert {s["values"]["settings"][0]["logging_level"] for s in settings} == {expected}


def test_only_local_serves_the_api_without_authorization(plans):
    """The gatekeeper's methods always need its authorizer, and P30's its edge's API key (its list is public,
    its writes need an editor's token): that is each pattern."""
    for env in ENVIRONMENTS:
        methods = of_type(plans[env], "aws_api_gateway_method")
        gated = [m for m in methods if ".module.gatekeeper[0]." in m["address"]]
        edge = [m for m in methods if ".module.regional_api_edge[0]." in m["address"]]
        expected = "NONE" if env == "local" else "AWS_IAM"
        assert len(gated) == 3 and {m["values"]["authorization"] for m in gated} == {"CUSTOM"}, env
        assert {(m["values"]["http_method"], m["values"]["authorization"]) for m in edge} == {
            ("GET", "NONE"),
            ("PUT", "COGNITO_USER_POOLS"),
        }, env
        assert all(m["values"]["api_key_required"] for m in edge), env
        assert {m["values"]["authorization"] for m in methods if m not in gated + edge} == {expected}, env
        # and every route of the HTTP APIs (P05, P06, P07, P23, P24), but P31's public board, which browsers call
        routes = of_type(plans[env], "aws_apigatewayv2_route")
        board = [r for r in routes if ".module.single_domain_frontend_backend[0]." in r["address"]]
        assert len(board) == 2 and {r["values"]["authorization_type"] for r in board} == {"NONE"}, env
        others = [r for r in routes if r not in board]
        assert len(others) >= 10 and {r["values"]["authorization_type"] for r in others} == {expected}, env


def test_dev_has_no_customer_managed_key_or_pitr(plans):
    assert shared_keys(plans["dev"]) == []
    assert not any(
        t["values"].get("point_in_time_recovery", [{}])[0].get("enabled")
        for t in of_type(plans["dev"], "aws_dynamodb_table")
    )
    assert all(q["values"]["sqs_managed_sse_enabled"] for q in of_type(plans["dev"], "aws_sqs_queue"))


def watched(alarm: dict) -> str:
    """The metric an alarm watches, or the metrics a metric-math alarm adds up ("A+B+C")."""
    if alarm.get("metric_name"):
        return str(alarm["metric_name"])
    return "+".join(sorted(q["metric"][0]["metric_name"] for q in alarm.get("metric_query") or [] if q.get("metric")))


def test_every_dead_letter_queue_alarms_and_staging_and_prod_alarm_on_every_functions_errors(plans):
    for env in ENVIRONMENTS:
        alarms = [a["values"] for a in of_type(plans[env], "aws_cloudwatch_metric_alarm")]
        dlqs = [q for q in of_type(plans[env], "aws_sqs_queue") if "-dlq" in q["values"]["name"]]
        dlq_alarms = [a for a in alarms if a["metric_name"] == "ApproximateNumberOfMessagesVisible"]
        assert len(dlq_alarms) == len(dlqs) >= 25, (
            env
        )  # P14, P13, P12 x3, P15 x4, P11 x3, P04, P08 x4, P16-P18, P06, P09, P22, P23, P24
        delivery_alarms = [a for a in alarms if a["metric_name"] == "NumberOfNotificationsFailed"]
        assert len(delivery_alarms) == 1, env  # P10's topic
        others = sorted(watched(a) for a in alarms if a not in dlq_alarms + delivery_alarms)
        functions = len(of_type(plans[env], "aws_lambda_function"))
        workflows = len(of_type(plans[env], "aws_sfn_state_machine"))
        if env in ("local", "dev"):
            assert others == [], env
        else:
            assert others.count("Errors") == others.count("Throttles") == functions, env
            assert others.count("5XXError") == 3, env  # P01's, P28's and P30's APIs
            # A workflow's executions that failed, timed out or were aborted, in one alarm each
            assert others.count("ExecutionsAborted+ExecutionsFailed+ExecutionsTimedOut") == workflows >= 2, (
                env
            )  # P19, P20
            # What a production team expects besides: backlogs, throttled tables, API 5xx, consumers
            # falling behind their streams, the databases, their proxies and the cache.
            work_queues = len(of_type(plans[env], "aws_sqs_queue")) - len(dlqs)
            stream_mappings = [
                m
                for m in of_type(plans[env], "aws_lambda_event_source_mapping")
                if m["values"].get("starting_position")
            ]
            databases = len(of_type(plans[env], "aws_db_instance"))
            expected = {
                "ApproximateAgeOfOldestMessage": work_queues,
                "ReadThrottleEvents+WriteThrottleEvents": len(of_type(plans[env], "aws_dynamodb_table")),
                "5xx": len(of_type(plans[env], "aws_apigatewayv2_api")),
                "IteratorAge": len(stream_mappings),
                "CPUUtilization": databases,
                "FreeStorageSpace": databases,
                "DatabaseConnections": databases,
                "AvailabilityPercentage": len(of_type(plans[env], "aws_db_proxy")),
                "ThrottledCmds": len(of_type(plans[env], "aws_elasticache_serverless_cache")),
            }
            assert {metric: others.count(metric) for metric in expected} == expected, env
            assert min(expected.values()) >= (1 if env == "prod" else 0) and expected["5xx"] == 6, (
                env
            )  # the HTTP APIs of P05, P06, P07, P23, P24 and P31


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_ledger_events_ride_a_fifo_queue_with_a_fifo_dead_letter_queue(plans, env):
    queues = {q["values"]["name"]: q["values"] for q in of_type(plans[env], "aws_sqs_queue")}
    ledger = {name: values for name, values in queues.items() if name.startswith(f"sp-{env}-ledger-")}
    assert sorted(ledger) == [f"sp-{env}-ledger-events-dlq.fifo", f"sp-{env}-ledger-events.fifo"]
    assert all(values["fifo_queue"] and values["content_based_deduplication"] for values in ledger.values())


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_every_topic_is_encrypted_and_the_notifier_has_its_own_rotating_key(plans, planned, env):
    topics = changes_of_type(planned[env], "aws_sns_topic")
    on_call = 1 if env in ("staging", "prod") else 0  # the on-call topic, where alarms are enabled
    assert len(topics) == 5 + on_call, "P12's, P15's, P10's, P11's and P28's topics"
    notifier_keys = [
        k for k in of_type(plans[env], "aws_kms_key") if k["address"].startswith(f"{COMPOSITION}module.notifier[0]")
    ]
    assert len(notifier_keys) == 1 and notifier_keys[0]["values"]["enable_key_rotation"]
    own_keys = (
        f"{COMPOSITION}module.notifier[0]",
        f"{COMPOSITION}module.pub_sub[0]",
        f"{COMPOSITION}aws_sns_topic.on_call",
    )
    for topic in topics:
        after, unknown = topic["change"]["after"], topic["change"]["after_unknown"]
        if topic["address"].startswith(own_keys) or env == "prod":
            # a customer managed key of this plan: its ARN is known after apply
            assert unknown.get("kms_master_key_id") is True, topic["address"]
        else:
            assert after.get("kms_master_key_id") == "alias/aws/sns", topic["address"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_buckets_are_private_and_only_prod_keeps_them_from_destroy_with_content(plans, env):
    buckets = of_type(plans[env], "aws_s3_bucket")
    assert len(buckets) == 15, (
        "P11's uploads and outputs, P16's input and output, P17's documents, P18's input, work, P25's archive, "
        "P26's archive and query results, P27's ingestion and reports, P29's and P31's sites; the functions' code"
    )
    assert {b["values"]["force_destroy"] for b in buckets} == {env != "prod"}  # follows deletion_protection
    blocks = of_type(plans[env], "aws_s3_bucket_public_access_block")
    assert len(blocks) == len(buckets) and all(b["values"]["restrict_public_buckets"] for b in blocks)


def test_an_environment_deploys_only_the_patterns_it_lists(local_cloud, tmp_path):
    plan = plan_root(ENV_DIR / "dev", local_cloud, tmp_path, variables={"patterns": ["fifoer"]})
    modules = {r["address"].split(".")[3] for r in planned_resources(plan.json) if r["address"].startswith(COMPOSITION)}
    # The code bucket because fifoer has a function; no API Gateway account role: no REST API is deployed.
    assert modules == {"fifoer[0]", "code_bucket[0]"}
    output = plan.json["output_changes"]["patterns"]
    assert set(output["after"]) | set(output["after_unknown"]) == {"fifoer"}


def test_an_environment_without_functions_keeps_no_code_bucket(local_cloud, tmp_path):
    plan = plan_root(ENV_DIR / "dev", local_cloud, tmp_path, variables={"patterns": ["notifier"]})
    modules = {r["address"].split(".")[3] for r in planned_resources(plan.json) if r["address"].startswith(COMPOSITION)}
    assert modules == {"notifier[0]"}


def test_every_function_of_an_environment_is_created_from_its_code_bucket(local_cloud, tmp_path):
    plan = plan_root(ENV_DIR / "prod", local_cloud, tmp_path)
    resources = planned_resources(plan.json)
    functions = [r for r in resources if r["type"] == "aws_lambda_function"]
    bucket = next(r for r in resources if r["address"] == f"{COMPOSITION}module.code_bucket[0].aws_s3_bucket.this")
    assert functions and all(f["values"]["s3_bucket"] == bucket["values"]["bucket"] for f in functions)
    assert all(f["values"].get("filename") is None for f in functions)
    objects = {
        r["values"]["key"]
        for r in resources
        if r["type"] == "aws_s3_object" and r["values"]["bucket"] == bucket["values"]["bucket"]
    }
    assert {f"lambda/{f['values']['function_name']}/" for f in functions} == {
        k.rsplit("/", 1)[0] + "/" for k in objects
    }


def test_an_unknown_pattern_name_is_refused_with_the_known_names(local_cloud, tmp_path):
    with pytest.raises(TerraformError, match="patterns must name modules of this library: simple-web-service"):
        plan_root(ENV_DIR / "dev", local_cloud, tmp_path, variables={"patterns": ["simple-web-servic"]})


def test_the_deprecation_check_sees_an_argument_the_provider_deprecates(local_cloud, tmp_path):
    plan = plan_root(ROOT / "tests" / "stacks" / "deprecated-argument", local_cloud, tmp_path)
    deprecations = [w for w in plan.warnings if w.is_deprecation]
    assert {w.address for w in deprecations} == {"aws_api_gateway_deployment.this"}


def plan_probe(cloud, tmp_path, source: str, arguments: str) -> Plan:
    """Plan a root holding one module of this library (`modules/<name>` or `patterns/<name>`) with the given
    arguments (HCL lines)."""
    root = tmp_path / "roots" / source.rsplit("/", 1)[1]
    root.mkdir(parents=True)
    (root / "main.tf").write_text(f"""
provider "aws" {{}}

module "probe" {{
  source = "../../{source}"
  {arguments}
}}
""")
    return plan_root(root, cloud, tmp_path / "work")


def plan_one_module(cloud, tmp_path, module: str, arguments: str) -> Plan:
    """Plan a root holding one building block (modules/) whose function runs the fifoer package."""
    function = 'package_path = "../../build/lambdas/fifoer.zip"\n  handler = "fifoer.handler.handler"'
    return plan_probe(cloud, tmp_path, f"modules/{module}", f"{function}\n  {arguments}")


def test_a_breaker_window_longer_than_lambda_keeps_an_event_is_refused_at_plan(local_cloud, tmp_path):
    """The window is also the recorder's maximum event age, which Lambda caps at 21,600 s: AWS would refuse
    the apply half-way; the pattern refuses the plan."""
    arguments = """name = "refused"
  package_path = "../../build/lambdas/eventbridge-circuit-breaker.zip"
  service_url = "https://quotes.example.com"
  breaker = { failure_window_seconds = 21601 }"""
    with pytest.raises(TerraformError, match="failure_window_seconds 60-21600"):
        plan_probe(local_cloud, tmp_path, "patterns/eventbridge-circuit-breaker", arguments)


@pytest.mark.parametrize(
    "queue, settings, reason",
    [
        (
            "refused",
            "timeout = 30\n  queue_visibility_timeout_seconds = 20",
            "visibility timeout (20 s) is below the function timeout",
        ),
        ("refused", "batch_size = 50", "batch size over 10 (50) needs batching_window_seconds"),
        ("refused.fifo", "batching_window_seconds = 5", "A FIFO queue takes no batching window"),
    ],
)
def test_a_consumer_lambda_would_refuse_is_refused_at_plan(local_cloud, tmp_path, queue, settings, reason):
    """What CreateEventSourceMapping refuses, the module refuses at plan, before anything is created."""
    arguments = f'name = "refused"\n  queue_arn = "arn:aws:sqs:us-east-1:123456789012:{queue}"\n  {settings}'
    with pytest.raises(TerraformError, match=re.escape(reason)):
        plan_one_module(local_cloud, tmp_path, "sqs-consumer", arguments)


def test_a_function_name_whose_role_name_iam_would_refuse_is_refused_at_plan(local_cloud, tmp_path):
    with pytest.raises(TerraformError, match="name must be 1-61 letters"):
        plan_one_module(local_cloud, tmp_path, "lambda-function", f'name = "{"f" * 62}"')


def test_an_environment_sharing_its_account_can_leave_the_api_gateway_account_role_to_another(local_cloud, tmp_path):
    settings = {
        "log_retention_days": 14,
        "point_in_time_recovery": False,
        "deletion_protection": False,
        "customer_managed_key": False,
        "reserved_concurrent_executions": -1,
        "api_authorization_type": "AWS_IAM",
        "api_throttling": {"rate_limit": 20, "burst_limit": 40},
        "api_logging_level": "INFO",
        "alarms": {"enabled": False},
        "manage_api_gateway_account": False,
    }
    plan = plan_root(
        ENV_DIR / "dev", local_cloud, tmp_path, variables={"patterns": ["simple-web-service"], "settings": settings}
    )
    addresses = {r["address"] for r in planned_resources(plan.json)}
    assert not any("api_gateway_account" in a for a in addresses)
    assert any(a.startswith(f"{COMPOSITION}module.simple_web_service[0]") for a in addresses)


def test_a_reservation_the_account_cannot_hold_is_refused_at_plan(local_cloud, tmp_path):
    """prod reserves 50 for each of P01's four functions: an account below 300 keeps fewer than 100 free."""
    prod = {
        "log_retention_days": 365,
        "point_in_time_recovery": True,
        "deletion_protection": True,
        "customer_managed_key": True,
        "reserved_concurrent_executions": 50,
        "api_authorization_type": "AWS_IAM",
        "api_throttling": {"rate_limit": 500, "burst_limit": 1000},
        "api_logging_level": "ERROR",
        "alarms": {"enabled": True},
    }
    with pytest.raises(TerraformError, match=r"reserves 200 concurrent executions"):
        plan_root(
            ENV_DIR / "prod",
            local_cloud,
            tmp_path / "small",
            variables={"patterns": ["simple-web-service"], "settings": {**prod, "account_concurrency_limit": 299}},
        )
    plan_root(
        ENV_DIR / "prod",
        local_cloud,
        tmp_path / "enough",
        variables={"patterns": ["simple-web-service"], "settings": {**prod, "account_concurrency_limit": 300}},
    )


# What a name must be unique among (per account and region; S3 bucket names are global), by resource type.
NAMED = {
    "aws_dynamodb_table": "name",
    "aws_sqs_queue": "name",
    "aws_sns_topic": "name",
    "aws_lambda_function": "function_name",
    "aws_iam_role": "name",
    "aws_s3_bucket": "bucket",
    "aws_cloudwatch_log_group": "name",
    "aws_cloudwatch_metric_alarm": "alarm_name",
    "aws_cloudwatch_event_rule": "name",
    "aws_api_gateway_rest_api": "name",
}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_no_two_patterns_name_a_resource_alike(plans, env):
    """AWS refuses a second table, queue, function or role of a name (a bucket name is global): two patterns
    composed under one prefix must never collide, which no plan would show before apply fails."""
    clashes = {}
    for resource_type, attribute in NAMED.items():
        names = [r["values"].get(attribute) for r in of_type(plans[env], resource_type)]
        repeated = sorted({n for n in names if n is not None and names.count(n) > 1})
        if repeated:
            clashes[resource_type] = repeated
    assert clashes == {}


def test_bucket_names_carry_the_account_id(plans):
    """Bucket names are global across all of AWS: the account id keeps an environment's its own."""
    for env in ENVIRONMENTS:
        for bucket in of_type(plans[env], "aws_s3_bucket"):
            assert "123456789012" in bucket["values"]["bucket"], (env, bucket["values"]["bucket"])


def test_the_strangler_needs_its_legacy_application_named(local_cloud, tmp_path):
    settings = {
        "log_retention_days": 14,
        "point_in_time_recovery": False,
        "deletion_protection": False,
        "customer_managed_key": False,
        "reserved_concurrent_executions": -1,
        "api_authorization_type": "AWS_IAM",
        "api_throttling": {"rate_limit": 10, "burst_limit": 20},
        "api_logging_level": "INFO",
        "alarms": {"enabled": False},
    }
    with pytest.raises(TerraformError, match="settings.strangler .legacy_base_url, migrated_routes. is required"):
        plan_root(ENV_DIR / "dev", local_cloud, tmp_path, variables={"patterns": ["strangler"], "settings": settings})


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_every_alarm_in_staging_and_prod_notifies_the_on_call_topic(planned, plans, env):
    """An alarm without actions pages nobody: each one's only action (prod and staging list none of their own)
    is the environment's on-call topic, known after apply."""
    alarms = changes_of_type(planned[env], "aws_cloudwatch_metric_alarm")
    silent = [
        (a["address"], a["change"]["after"].get("alarm_actions"), a["change"]["after_unknown"].get("alarm_actions"))
        for a in alarms
        if a["change"]["after_unknown"].get("alarm_actions") not in ([True], True)
    ]
    assert len(alarms) > 100 and silent == []
    (topic,) = [
        c for c in changes_of_type(planned[env], "aws_sns_topic") if c["change"]["after"]["name"].endswith("-on-call")
    ]
    # on a customer managed key CloudWatch may use (the AWS managed SNS key admits no service)
    assert topic["change"]["after_unknown"]["kms_master_key_id"], topic["address"]
    policies = [p for p in of_type(plans[env], "aws_sns_topic_policy") if "on_call" in p["address"]]
    assert len(policies) == 1


@pytest.mark.parametrize("env", ["local", "dev"])
def test_without_alarms_there_is_no_on_call_topic(plans, env):
    assert not [t for t in of_type(plans[env], "aws_sns_topic") if t["values"]["name"].endswith("-on-call")]


# -- the network of P23 and P24 ------------------------------------------------------------------------------
# A plan knows no subnet or group id (each is created in it), so where a store or function lives is read from
# the plan's configuration: each reference is followed through module inputs and outputs to where it starts.

NETWORK = f"{COMPOSITION}module.network."  # an address in the configuration
NETWORK_INSTANCE = f"{COMPOSITION}module.network[0]."  # the same module in the plan's addresses
REGIONS = {"local": "us-east-1", "dev": "eu-west-1", "staging": "eu-west-1", "prod": "eu-west-1"}
ZONES = {"local": 2, "dev": 2, "staging": 2, "prod": 3}
IN_A_VPC = ("eventually_consistent", "read_heavy_reporting")
# Where each kind of store names its subnets and security groups.
PLACEMENT = {
    "aws_db_subnet_group": ("subnet_ids",),
    "aws_db_instance": ("vpc_security_group_ids",),
    "aws_db_proxy": ("vpc_subnet_ids", "vpc_security_group_ids"),
    "aws_elasticache_serverless_cache": ("subnet_ids", "security_group_ids"),
}


def module_path(address: str) -> tuple[str, ...]:
    """module.a[0].module.b.aws_x.y -> ("a", "b")"""
    return tuple(re.findall(r"module\.([\w-]+)", address))


def configured(plan: Plan, path: tuple[str, ...]) -> dict[str, Any]:
    module = plan.json["configuration"]["root_module"]
    for name in path:
        module = module["module_calls"][name]["module"]
    return module


def most_specific(references: list[str]) -> list[str]:
    """Terraform lists `var.a.b` with `var.a`: keep the longest of each chain."""
    return [r for r in references if not any(o != r and o.startswith((r + ".", r + "[")) for o in references)]


def origins(plan: Plan, path: tuple[str, ...], expression: dict[str, Any] | None) -> set[str]:
    """Where an expression's values come from: resources, locals and data sources, by full address, each
    module input followed to its caller's argument and each module output to its expression."""
    if expression is None:
        return {"".join(f"module.{m}." for m in path) + "(an input's default)"}
    found: set[str] = set()
    for reference in most_specific(expression.get("references", [])):
        if reference.startswith("var."):
            name = reference.split(".")[1].split("[")[0]
            call = configured(plan, path[:-1])["module_calls"][path[-1]]
            found |= origins(plan, path[:-1], call["expressions"].get(name))
        elif output := re.match(r"module\.([\w-]+)(?:\[[^\]]*\])?\.(\w+)", reference):
            callee = (*path, output.group(1))
            found |= origins(plan, callee, configured(plan, callee)["outputs"][output.group(2)]["expression"])
        else:
            found.add("".join(f"module.{m}." for m in path) + re.sub(r"\[[^\]]*\]", "", reference))
    return found


def resource_config(plan: Plan, address: str) -> dict[str, Any]:
    local = re.sub(r"^(module\.[\w-]+\.)*", "", re.sub(r"\[[^\]]*\]", "", address))
    return next(r for r in configured(plan, module_path(address))["resources"] if r["address"] == local)


def attachment_origins(plan: Plan, address: str, attribute: str) -> set[str]:
    path = module_path(address)
    return origins(plan, path, resource_config(plan, address)["expressions"].get(attribute))


def in_the_environments_network(found: set[str]) -> bool:
    """Everything comes from the composition's network module: its private subnets (local.subnet_ids) and
    its members group."""
    members = f"{NETWORK}aws_security_group.members"
    return bool(found) and all(o.startswith(NETWORK) for o in found) and any(o.startswith(members) for o in found)


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_p23s_and_p24s_functions_databases_proxies_and_cache_live_in_the_environments_network(planned, env):
    """Private means the environment's own VPC (its network module's subnets and members group): in AWS a
    function outside it cannot reach a database that is not publicly accessible."""
    plan = planned[env]
    changes = [c for c in plan.json["resource_changes"] if any(f"module.{p}[0]." in c["address"] for p in IN_A_VPC)]
    placed = [c for c in changes if c["type"] in PLACEMENT]
    kinds = sorted(c["type"] for c in placed)
    proxies = 2 if env == "prod" else 0  # settings.database_proxy
    assert kinds == sorted(
        ["aws_db_subnet_group"] * 2
        + ["aws_db_instance"] * 2
        + ["aws_db_proxy"] * proxies
        + ["aws_elasticache_serverless_cache"]
    ), kinds
    for change in placed:
        for attribute in PLACEMENT[change["type"]]:
            found = attachment_origins(plan, change["address"], attribute)
            assert in_the_environments_network(found), (change["address"], attribute, found)
            # created in this plan, so unknown until apply: never an id typed in, never empty
            assert change["change"]["after_unknown"].get(attribute), (change["address"], attribute)
        if change["type"] == "aws_db_instance":
            subnet_group = resource_config(plan, change["address"])["expressions"]["db_subnet_group_name"]
            assert "aws_db_subnet_group.this" in "".join(subnet_group["references"]), change["address"]
    (cache,) = [c for c in placed if c["type"] == "aws_elasticache_serverless_cache"]
    assert cache["change"]["after_unknown"]["subnet_ids"] == [True] * ZONES[env], "a subnet in each zone"

    # The functions that reach the stores (P23's replicator, P24's reader and writer, the databases'
    # migrations) are in the VPC, through the lambda-function block's `vpc`; the others (the APIs, P24's
    # ranker) stay outside it.
    functions = [c for c in changes if c["type"] == "aws_lambda_function"]
    attached = sorted(f["change"]["after"]["function_name"] for f in functions if f["change"]["after"]["vpc_config"])
    assert attached == [
        f"sp-{env}-customers-migrate",
        f"sp-{env}-customers-replicator",
        f"sp-{env}-reports-migrate",
        f"sp-{env}-reports-reader",
        f"sp-{env}-reports-writer",
    ]
    for function in (f for f in functions if f["change"]["after"]["vpc_config"]):
        path = module_path(function["address"])
        call = configured(plan, path[:-1])["module_calls"][path[-1]]
        found = origins(plan, path[:-1], call["expressions"]["vpc"])
        assert in_the_environments_network(found), (function["address"], found)
        assert function["change"]["after_unknown"]["vpc_config"] == [
            {"security_group_ids": True, "subnet_ids": True, "vpc_id": True}
        ], function["address"]


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_network_takes_its_zones_from_the_region_and_a_range_of_its_own(planned, plans, env):
    subnets = [s for s in of_type(plans[env], "aws_subnet") if s["address"].startswith(NETWORK_INSTANCE)]
    zones = [s["values"]["availability_zone"] for s in subnets]
    assert len(set(zones)) == len(zones) == ZONES[env] and all(z.startswith(REGIONS[env]) for z in zones), zones
    config = resource_config(planned[env], subnets[0]["address"])
    assert "constant_value" not in config["expressions"]["availability_zone"], "a zone typed in"
    assert "data.aws_availability_zones.available" in config["expressions"]["availability_zone"]["references"]
    (zones_source,) = [
        d
        for d in configured(planned[env], ("patterns", "network"))["resources"]
        if d["mode"] == "data" and d["type"] == "aws_availability_zones"
    ]
    assert zones_source["expressions"]["state"]["constant_value"] == "available"
    cidrs = [v["values"]["cidr_block"] for other in ENVIRONMENTS for v in of_type(plans[other], "aws_vpc")]
    assert sorted(cidrs) == sorted(["10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16", "10.40.0.0/16"]), (
        "one VPC per environment, each with a range of its own"
    )


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_members_group_admits_only_itself_on_the_data_ports(planned, plans, env):
    plan = planned[env]
    network = configured(plan, ("patterns", "network"))
    groups = {r["name"]: r for r in network["resources"] if r["type"] == "aws_security_group"}
    assert sorted(groups) == ["endpoints", "members"]
    assert not {"ingress", "egress"} & (
        set(groups["members"]["expressions"]) | set(groups["endpoints"]["expressions"])
    ), "rules are resources of their own, never inline"
    admitted: dict[str, set[tuple[str, int, int]]] = {"members": set(), "endpoints": set()}
    for rule in (
        r
        for r in of_type(plans[env], "aws_vpc_security_group_ingress_rule")
        if r["address"].startswith(NETWORK_INSTANCE)
    ):
        expressions = resource_config(plan, rule["address"])["expressions"]
        group = (
            "members" if "aws_security_group.members" in expressions["security_group_id"]["references"] else "endpoints"
        )
        source = expressions.get("referenced_security_group_id", {}).get("references", [])
        assert source[-1:] == ["aws_security_group.members"], (rule["address"], "admits something else")
        values = rule["values"]
        assert values["cidr_ipv4"] is None and values["cidr_ipv6"] is None and values["prefix_list_id"] is None, rule
        admitted[group].add((values["ip_protocol"], values["from_port"], values["to_port"]))
    assert admitted == {"members": {("tcp", 5432, 5432), ("tcp", 6379, 6379)}, "endpoints": {("tcp", 443, 443)}}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_networks_endpoints_admit_only_principals_of_the_account(plans, env):
    """A gateway endpoint for DynamoDB and an interface endpoint for Secrets Manager (what the functions in the
    VPC call), each with a policy a credential of another account cannot pass."""
    endpoints = of_type(plans[env], "aws_vpc_endpoint")
    services = sorted((e["values"]["vpc_endpoint_type"], e["values"]["service_name"]) for e in endpoints)
    region = REGIONS[env]
    assert services == [
        ("Gateway", f"com.amazonaws.{region}.dynamodb"),
        ("Interface", f"com.amazonaws.{region}.secretsmanager"),
    ]
    for endpoint in endpoints:
        assert json.loads(endpoint["values"]["policy"]) == {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PrincipalsOfThisAccount",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "*",
                    "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalAccount": "123456789012"}},
                }
            ],
        }, endpoint["address"]
        if endpoint["values"]["vpc_endpoint_type"] == "Interface":
            assert endpoint["values"]["private_dns_enabled"], endpoint["address"]
    (flow_log,) = of_type(plans[env], "aws_flow_log")
    assert flow_log["values"]["traffic_type"] == "ALL"


# -- the environment's key --------------------------------------------------------------------------------
# Where each kind of resource names the key it encrypts with (a nested block's attribute as block.attribute).
KEY_ATTRIBUTES = {
    "aws_sqs_queue": ("kms_master_key_id",),
    "aws_sns_topic": ("kms_master_key_id",),
    "aws_cloudwatch_log_group": ("kms_key_id",),
    "aws_dynamodb_table": ("server_side_encryption.kms_key_arn",),
    "aws_db_instance": ("kms_key_id", "master_user_secret_kms_key_id"),  # its storage, and the secret RDS keeps
    "aws_elasticache_serverless_cache": ("kms_key_id",),
    "aws_lambda_function": ("kms_key_arn",),
}


def key_expression(config: dict[str, Any], attribute: str) -> dict[str, Any] | None:
    block, _, name = attribute.rpartition(".")
    expressions = config["expressions"]
    if block:
        nested = expressions.get(block) or [{}]
        return nested[0].get(name) if isinstance(nested, list) else None
    return expressions.get(name)


# Keys a pattern makes for itself by design, each for a reason the environment's key cannot serve.
OWN_KEYS = {
    # P10: publishers in other accounts use the topic's key; the environment's key stays the account's own.
    f"{COMPOSITION}module.notifier.module.topic_key.aws_kms_key.this.arn": "notifier",
    # P11: S3 publishes into the uploads topic as itself, which the key's policy must name.
    f"{COMPOSITION}module.pub_sub.module.topic_key.aws_kms_key.this.arn": "pub-sub",
}


def test_everything_prod_encrypts_takes_the_environments_own_key(planned):
    """Not any key known only after apply: each resource's key is traced back to the composition's key."""
    plan, key = planned["prod"], f"{COMPOSITION}local.kms_key_arn"
    addresses = [c["address"] for c in plan.json["resource_changes"]]

    def planned_here(origin: str) -> bool:
        """A module with no instance in this plan (e.g. the on-call topic's own key, made only without one)
        cannot be where a key comes from."""
        if re.fullmatch(r"(module\.[\w-]+\.)*module\.[\w-]+", origin) is None:
            return True
        return any(a.startswith((origin + "[", origin + ".")) for a in addresses)

    checked: dict[str, int] = {}
    for change in plan.json["resource_changes"]:
        for attribute in KEY_ATTRIBUTES.get(change["type"], ()):
            if change["mode"] != "managed" or not change["address"].startswith(COMPOSITION):
                continue
            expression = key_expression(resource_config(plan, change["address"]), attribute)
            found = {o for o in origins(plan, module_path(change["address"]), expression) if planned_here(o)}
            assert found == {key} or (len(found) == 1 and found <= set(OWN_KEYS)), (change["address"], attribute, found)
            checked[change["type"]] = checked.get(change["type"], 0) + 1
    assert set(checked) == set(KEY_ATTRIBUTES), checked
