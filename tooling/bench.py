"""`make bench`: the local cloud's own costs, written to build/bench/*.json.

- lambda-invoke.json: Lambda invoke latency, cold and warm (client-observed), and the cost of IAM
  enforcement on a warm invoke: the same PutItem made as the function's role (authorized) and with
  the local cloud's root credentials (not evaluated).
- lambda-runtimes.json: a no-op function's cold and warm invoke on each runtime the local cloud runs, with
  ratios to python3.11 (the interpreter the local cloud itself runs on) measured in the same run.
- apigateway-frontdoor.json: the API Gateway front door's overhead per request beyond the
  integration's own time, p50 and p99, for a Lambda proxy route and an SQS integration.
- sqs-send-by-depth.json: SendMessage latency as a queue fills.
- step-functions.json: a STANDARD execution of a 10-state workflow (3 Lambda tasks, Choice, Parallel, Map,
  Pass) from StartExecution to its end, against a 1-state workflow measured in the same run.
- xray.json: the cost of tracing on a warm invoke: a PutItem handler traced by aws-xray-sdk, invoked with a
  trace header that says Sampled=1 (Lambda's segments, the SDK's subsegment over the daemon) against the same
  handler invoked Sampled=0, in the same run.
- comparisons.json: side by side, with ratios to a baseline of the same run: one handler run by the
  local cloud (warm, cold), by python-lambda-local (its call() and its CLI) and by a fresh
  interpreter; SQS -> Lambda throughput at a concurrency cap; 8 concurrent clients on an
  API -> Lambda -> DynamoDB route (front-door overhead p99, requests per second); and the time from
  `terraform apply` of P01's test stack to its first served request; a CloudFront distribution's cache hit
  and miss against its origin asked directly.

- athena.json and firehose.json (tooling/bench_data.py): Athena query latency over 10 MB and 100 MB of CSV
  and Parquet, and Firehose's records per second through a transform.

Starts its own local cloud on a free port, so it never disturbs `make up`.
"""

from __future__ import annotations

import json
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

from localcloud.control import LocalCloud, free_port
from tooling import bench_compare, bench_data
from tooling.bench_kit import (
    NOOP,
    NOOP_NODEJS,
    PUT_ITEM,
    PUT_ITEM_AS_ROOT,
    TRACED_PUT_ITEM,
    allow_api,
    bench_role,
    percentiles,
    zip_source,
    zip_with_xray_sdk,
)

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "build" / "bench"
FRONT_DOOR_TARGET_P50_MS = 5.0

WARM_INVOKE_TARGET_MS = 5.0


def run_lambda_invoke(cloud: LocalCloud, role: str, warm_n: int = 200, cold_n: int = 5) -> dict[str, Any]:
    lam, ddb = cloud.client("lambda"), cloud.client("dynamodb")
    ddb.create_table(
        TableName="bench",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    results: dict[str, Any] = {}
    for label, source in (
        ("noop", NOOP),
        ("dynamodb_put_item", PUT_ITEM),
        ("dynamodb_put_item_as_root", PUT_ITEM_AS_ROOT),
    ):
        lam.create_function(
            FunctionName=label,
            Runtime="python3.11",
            Role=role,
            Handler="fn.handler",
            Code={"ZipFile": zip_source(source)},
            Environment={"Variables": {"TABLE": "bench"}},
        )

        def timed(n: int, label: str = label) -> float:
            started = time.perf_counter()
            response = lam.invoke(FunctionName=label, Payload=json.dumps({"n": n}))
            response["Payload"].read()
            assert "FunctionError" not in response, response
            return (time.perf_counter() - started) * 1000

        cold = []
        for i in range(cold_n):
            # A configuration change retires the warm worker: the next invoke is a cold start.
            lam.update_function_configuration(
                FunctionName=label, Environment={"Variables": {"TABLE": "bench", "COLD": str(i)}}
            )
            cold.append(timed(-1 - i))
        warm = [timed(n) for n in range(warm_n)]
        results[label] = {"cold": percentiles(cold), "warm": percentiles(warm)}
    enforced, root = results["dynamodb_put_item"]["warm"], results["dynamodb_put_item_as_root"]["warm"]
    cost = round(enforced["p50_ms"] - root["p50_ms"], 2)
    # The warm-invoke target is for the invoke itself (the no-op handler); enforcement is paid per AWS call
    # the handler makes, so a warm invoke making one authorized call costs the no-op's p50 plus it.
    with_one_call = round(results["noop"]["warm"]["p50_ms"] + max(cost, 0.0), 2)
    results["iam_enforcement_on_a_warm_invoke"] = {
        "p50_ms_per_authorized_call": cost,
        "p99_ms_per_authorized_call": round(enforced["p99_ms"] - root["p99_ms"], 2),
        "noop_warm_p50_plus_one_authorized_call_ms": with_one_call,
        "warm_invoke_target_ms": WARM_INVOKE_TARGET_MS,
        "within_target": with_one_call <= WARM_INVOKE_TARGET_MS,
    }
    return results


def run_tracing_overhead(cloud: LocalCloud, role: str, n: int = 200) -> dict[str, Any]:
    """Warm invokes of one active-tracing function, sampled and not (the caller's header decides)."""
    lam = cloud.client("lambda")
    lam.create_function(
        FunctionName="traced",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_with_xray_sdk(TRACED_PUT_ITEM)},
        Environment={"Variables": {"TABLE": "bench"}},
        TracingConfig={"Mode": "Active"},
    )
    header: dict[str, str] = {}
    lam.meta.events.register(
        "before-sign.lambda.Invoke",
        lambda request, **_: request.headers.__setitem__("X-Amzn-Trace-Id", header["value"]),
    )

    def timed(i: int, sampled: int) -> float:
        header["value"] = f"Root=1-{int(time.time()):08x}-{i:024x};Parent={i:016x};Sampled={sampled}"
        started = time.perf_counter()
        response = lam.invoke(FunctionName="traced", Payload=json.dumps({"n": i}))
        response["Payload"].read()
        assert "FunctionError" not in response, response
        return (time.perf_counter() - started) * 1000

    timed(0, 0)  # the cold start
    # Interleaved, so drift on the machine falls on both alike.
    samples: dict[str, list[float]] = {"not_sampled": [], "sampled": []}
    for i in range(1, n + 1):
        samples["not_sampled"].append(timed(2 * i, 0))
        samples["sampled"].append(timed(2 * i + 1, 1))
    results: dict[str, Any] = {label: percentiles(values) for label, values in samples.items()}
    base, traced = results["not_sampled"], results["sampled"]
    results["tracing_cost"] = {
        "p50_ms": round(traced["p50_ms"] - base["p50_ms"], 2),
        "p99_ms": round(traced["p99_ms"] - base["p99_ms"], 2),
        "p50_ratio": round(traced["p50_ms"] / base["p50_ms"], 2) if base["p50_ms"] else None,
    }
    return results


RUNTIMES = ("python3.11", "python3.13", "python3.14", "nodejs20.x", "nodejs22.x")


def run_runtime_invoke(cloud: LocalCloud, role: str, warm_n: int = 100, cold_n: int = 5) -> dict[str, Any]:
    """The same no-op on each runtime: what a cold start (a new interpreter and its SDK) and a warm invoke cost."""
    lam = cloud.client("lambda")
    results: dict[str, Any] = {}
    for runtime in RUNTIMES:
        name = f"noop-{runtime.replace('.', '-')}"
        python = runtime.startswith("python")
        lam.create_function(
            FunctionName=name,
            Runtime=runtime,
            Role=role,
            Handler="fn.handler" if python else "index.handler",
            Code={"ZipFile": zip_source(NOOP) if python else zip_source(NOOP_NODEJS, "index.js")},
        )

        def timed(n: int, name: str = name) -> float:
            started = time.perf_counter()
            response = lam.invoke(FunctionName=name, Payload=json.dumps({"n": n}))
            response["Payload"].read()
            assert "FunctionError" not in response, response
            return (time.perf_counter() - started) * 1000

        cold = []
        for i in range(cold_n):
            lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"COLD": str(i)}})
            cold.append(timed(-1 - i))
        results[runtime] = {"cold": percentiles(cold), "warm": percentiles([timed(n) for n in range(warm_n)])}
    baseline = results[RUNTIMES[0]]
    for runtime in RUNTIMES:
        results[runtime]["ratio_to_python3.11"] = {
            phase: round(results[runtime][phase]["p50_ms"] / baseline[phase]["p50_ms"], 2) for phase in ("cold", "warm")
        }
    return results


PROXY_HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"


def _front_door_api(cloud: LocalCloud, role: str) -> tuple[str, dict[str, str]]:
    """A REST API with a Lambda proxy route and an SQS integration, made with the SDK (no provider waits)."""
    lam, apigw, sqs = cloud.client("lambda"), cloud.client("apigateway"), cloud.client("sqs")
    fn = lam.create_function(
        FunctionName="bench-proxy",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source(PROXY_HANDLER)},
    )["FunctionArn"]
    queue = sqs.create_queue(QueueName="bench-queue")["QueueUrl"]
    api = apigw.create_rest_api(name="bench")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    region = "us-east-1"
    routes = {}
    for path, method in (("fn", "GET"), ("queue", "POST")):
        resource = apigw.create_resource(restApiId=api, parentId=root, pathPart=path)["id"]
        apigw.put_method(restApiId=api, resourceId=resource, httpMethod=method, authorizationType="NONE")
        if path == "fn":
            apigw.put_integration(
                restApiId=api,
                resourceId=resource,
                httpMethod=method,
                type="AWS_PROXY",
                integrationHttpMethod="POST",
                uri=f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{fn}/invocations",
            )
            allow_api(cloud, fn, api)
        else:
            apigw.put_integration(
                restApiId=api,
                resourceId=resource,
                httpMethod=method,
                type="AWS",
                integrationHttpMethod="POST",
                credentials=role,
                uri=f"arn:aws:apigateway:{region}:sqs:path/123456789012/{queue.rsplit('/', 1)[1]}",
                requestParameters={"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"},
                requestTemplates={"application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)"},
            )
            apigw.put_method_response(restApiId=api, resourceId=resource, httpMethod=method, statusCode="202")
            apigw.put_integration_response(
                restApiId=api,
                resourceId=resource,
                httpMethod=method,
                statusCode="202",
                responseTemplates={
                    "application/json": '{"id": "$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}'
                },
            )
        routes[path] = method
    apigw.create_deployment(restApiId=api, stageName="bench")
    return api, routes


def run_front_door(cloud: LocalCloud, role: str, n: int = 500) -> dict[str, Any]:
    import urllib.request

    from localcloud.apigateway.urls import TIMINGS_PATH, local_url

    api, routes = _front_door_api(cloud, role)
    results: dict[str, Any] = {}
    for path, method in routes.items():
        url = local_url(cloud.endpoint, api, "bench", path)
        body = b'{"order": 1}' if method == "POST" else None

        def send(url: str = url, body: bytes | None = body, method: str = method) -> float:
            started = time.perf_counter()
            request = urllib.request.Request(
                url, data=body, method=method, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                assert response.status in (200, 202), response.status
            return (time.perf_counter() - started) * 1000

        for _ in range(20):  # warm the worker and the connection path
            send()
        urllib.request.urlopen(urllib.request.Request(cloud.endpoint + TIMINGS_PATH, method="DELETE")).read()
        client = [send() for _ in range(n)]
        timings = json.loads(urllib.request.urlopen(cloud.endpoint + TIMINGS_PATH).read())
        overhead = [t["total_ms"] - t["integration_ms"] for t in timings]
        results[f"{method} /{path}"] = {
            "overhead": percentiles(overhead),
            "integration": percentiles([t["integration_ms"] for t in timings]),
            "client_observed": percentiles(client),
        }
    return results


def run_sqs_send_by_depth(cloud: LocalCloud, depths: tuple[int, ...] = (0, 1000, 2000)) -> dict[str, Any]:
    """SendMessage latency as the queue fills: flat in AWS, and flat here since localcloud's sqs/attributes.py."""
    sqs = cloud.client("sqs")
    queue = sqs.create_queue(QueueName="bench-depth")["QueueUrl"]
    results: dict[str, Any] = {}
    filled = 0
    for depth in depths:
        while filled < depth:
            sqs.send_message_batch(QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": "fill"} for i in range(10)])
            filled += 10
        samples = []
        for _ in range(50):
            started = time.perf_counter()
            sqs.send_message(QueueUrl=queue, MessageBody="probe")
            samples.append((time.perf_counter() - started) * 1000)
        filled += 50
        results[f"depth {depth}"] = percentiles(samples)
    return results


def _ten_states(function_arn: str) -> dict[str, Any]:
    """10 states an order workflow uses: tasks, a Choice, a Parallel of two tasks, a Map of one Pass."""
    task = {"Type": "Task", "Resource": function_arn}
    return {
        "StartAt": "Validate",
        "States": {
            "Validate": {**task, "ResultPath": "$.validated", "Next": "Route"},
            "Route": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.express", "BooleanEquals": True, "Next": "Fast"}],
                "Default": "Slow",
            },
            "Fast": {"Type": "Pass", "Result": "air", "ResultPath": "$.carrier", "Next": "Checks"},
            "Slow": {"Type": "Pass", "Result": "ground", "ResultPath": "$.carrier", "Next": "Checks"},
            "Checks": {
                "Type": "Parallel",
                "ResultPath": "$.checks",
                "Next": "Lines",
                "Branches": [
                    {"StartAt": "Stock", "States": {"Stock": {**task, "End": True}}},
                    {"StartAt": "Risk", "States": {"Risk": {**task, "End": True}}},
                ],
            },
            "Lines": {
                "Type": "Map",
                "ItemsPath": "$.lines",
                "ResultPath": "$.packed",
                "Next": "Done",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Pack",
                    "States": {"Pack": {"Type": "Pass", "End": True}},
                },
            },
            "Done": {"Type": "Succeed"},
        },
    }


def run_workflow_latency(cloud: LocalCloud, role: str, n: int = 20) -> dict[str, Any]:
    """StartExecution to the execution's end (its own start and stop dates), per workflow shape."""
    iam, sfn = cloud.client("iam"), cloud.client("stepfunctions")
    states_role = iam.create_role(
        RoleName="bench-states",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="bench-states",
        PolicyName="invoke",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": "*"}],
            }
        ),
    )
    function = cloud.client("lambda").create_function(
        FunctionName="bench-task",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source(NOOP)},
    )["FunctionArn"]
    shapes = {
        "1 state (Pass)": {"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": True}}},
        "10 states (3 Lambda tasks)": _ten_states(function),
    }
    results: dict[str, Any] = {}
    for shape, definition in shapes.items():
        machine = sfn.create_state_machine(
            name=f"bench-{len(results)}", roleArn=states_role, definition=json.dumps(definition)
        )["stateMachineArn"]
        samples = []
        for index in range(n + 1):  # the first warms the task function up
            arn = sfn.start_execution(
                stateMachineArn=machine, input=json.dumps({"express": index % 2 == 0, "lines": [1, 2, 3]})
            )["executionArn"]
            while (described := sfn.describe_execution(executionArn=arn))["status"] == "RUNNING":
                time.sleep(0.01)
            assert described["status"] == "SUCCEEDED", described
            if index:
                samples.append((described["stopDate"] - described["startDate"]).total_seconds() * 1000)
        results[shape] = percentiles(samples)
    baseline = results["1 state (Pass)"]["p50_ms"]
    for stats in results.values():
        stats["p50_vs_one_state"] = round(stats["p50_ms"] / baseline, 1) if baseline else None
    return results


def main() -> int:
    with tempfile.TemporaryDirectory() as state:
        cloud = LocalCloud(port=free_port(), state_dir=Path(state))
        cloud.start()
        try:
            role = bench_role(cloud)
            invoke = run_lambda_invoke(cloud, role)
            tracing = run_tracing_overhead(cloud, role)
            runtimes = run_runtime_invoke(cloud, role)
            front_door = run_front_door(cloud, role)
            sqs_depth = run_sqs_send_by_depth(cloud)
            workflows = run_workflow_latency(cloud, role)
            athena = bench_data.athena_query_latency(cloud)
            firehose = bench_data.firehose_throughput(cloud, role)

            comparisons = {
                "handler_run_four_ways": bench_compare.handler_alternatives(cloud, role),
                "sqs_to_lambda_throughput": bench_compare.sqs_throughput(cloud, role),
                "api_lambda_dynamodb_8_clients": bench_compare.front_door_under_load(cloud, role),
                "apply_to_first_request": bench_compare.apply_to_first_request(
                    cloud,
                    ROOT / "examples" / "simple-web-service",
                    ROOT / "build" / "lambdas" / "simple-web-service.zip",
                ),
                "cache_aside_reads": bench_compare.cache_aside_reads(
                    cloud,
                    ROOT / "examples" / "read-heavy-reporting",
                    ROOT / "build" / "lambdas" / "read-heavy-reporting.zip",
                ),
                "edge_hit_miss_origin": bench_compare.edge_hit_miss_origin(cloud),
            }
        finally:
            cloud.stop()
    meta = {
        "machine": {"python": platform.python_version(), "processor": platform.machine()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "lambda-invoke.json").write_text(
        json.dumps(
            {
                "benchmark": "local cloud Lambda invoke latency (client-observed, RequestResponse)",
                **meta,
                "results": invoke,
            },
            indent=2,
        )
        + "\n"
    )
    (OUT_DIR / "lambda-runtimes.json").write_text(
        json.dumps(
            {"benchmark": "a no-op's invoke latency on each runtime (client-observed)", **meta, "results": runtimes},
            indent=2,
        )
        + "\n"
    )
    (OUT_DIR / "apigateway-frontdoor.json").write_text(
        json.dumps(
            {
                "benchmark": "API Gateway front door overhead beyond the integration's own time",
                **meta,
                "target_p50_overhead_ms": FRONT_DOOR_TARGET_P50_MS,
                "results": front_door,
            },
            indent=2,
        )
        + "\n"
    )
    (OUT_DIR / "athena.json").write_text(
        json.dumps(
            {"benchmark": "Athena GROUP BY, StartQueryExecution to SUCCEEDED", **meta, "results": athena}, indent=2
        )
        + "\n"
    )
    (OUT_DIR / "firehose.json").write_text(
        json.dumps({"benchmark": "Firehose records per second into S3", **meta, "results": firehose}, indent=2) + "\n"
    )
    (OUT_DIR / "sqs-send-by-depth.json").write_text(
        json.dumps(
            {"benchmark": "SQS SendMessage latency by queue depth (client-observed)", **meta, "results": sqs_depth},
            indent=2,
        )
        + "\n"
    )
    (OUT_DIR / "step-functions.json").write_text(
        json.dumps(
            {
                "benchmark": "Step Functions STANDARD execution, StartExecution to end (the execution's own dates)",
                **meta,
                "results": workflows,
            },
            indent=2,
        )
        + "\n"
    )
    (OUT_DIR / "xray.json").write_text(
        json.dumps(
            {"benchmark": "a traced PutItem's warm invoke, sampled against not (same run)", **meta, "results": tracing},
            indent=2,
        )
        + "\n"
    )
    (OUT_DIR / "comparisons.json").write_text(
        json.dumps(
            {
                "benchmark": "the local cloud side by side with what users would pick instead (same run)",
                **meta,
                "results": comparisons,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"{'the same handler (PutItem)':46} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'x warm':>7}")
    for way, stats in comparisons["handler_run_four_ways"].items():
        print(
            f"{way:46} {stats['n']:>4} {stats['p50_ms']:>8} {stats['p99_ms']:>8} {stats['p50_vs_local_cloud_warm']:>7}"
        )
    throughput = comparisons["sqs_to_lambda_throughput"]
    print(
        f"\nSQS -> Lambda: {throughput['messages']} messages in {throughput['seconds']} s at concurrency "
        f"{throughput['maximum_concurrency']}: {throughput['messages_per_second']} messages/s"
    )
    load = comparisons["api_lambda_dynamodb_8_clients"]
    print(
        f"API -> Lambda -> DynamoDB, {load['clients']} clients: {load['requests_per_second']} requests/s; front door "
        f"overhead p50 {load['front_door_overhead']['p50_ms']} ms, p99 {load['front_door_overhead']['p99_ms']} ms "
        f"(target p99 {load['overhead_p99_target_ms']} ms)"
    )
    first = comparisons["apply_to_first_request"]
    print(f"P01: terraform apply {first['apply_s']} s, first 201 at {first['apply_to_first_201_s']} s")
    reads = comparisons["cache_aside_reads"]
    print(
        f"P24 GET /articles: cache hit p50 {reads['hit']['p50_ms']} ms (p99 {reads['hit']['p99_ms']}) vs miss through "
        f"the proxy to PostgreSQL p50 {reads['miss']['p50_ms']} ms (p99 {reads['miss']['p99_ms']}): "
        f"x{reads['hit']['p50_vs_miss']}\n"
    )
    edge = comparisons["edge_hit_miss_origin"]
    print(
        f"CloudFront edge, 10 KB: hit p50 {edge['edge_hit']['p50_ms']} ms (x{edge['edge_hit']['p50_vs_origin_direct']} "
        f"of the origin asked directly, p50 {edge['origin_direct']['p50_ms']} ms), miss p50 "
        f"{edge['edge_miss']['p50_ms']} ms (x{edge['edge_miss']['p50_vs_origin_direct']})\n"
    )
    print(f"{'lambda invoke':24} {'kind':16} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    enforcement = invoke.pop("iam_enforcement_on_a_warm_invoke")
    for name, kinds in invoke.items():
        for kind, stats in kinds.items():
            print(f"{name:24} {kind:16} {stats['n']:>4} {stats['p50_ms']:>8} {stats['p99_ms']:>8} {stats['max_ms']:>8}")
    print(
        f"IAM enforcement per authorized call (PutItem as the role vs as root, warm): "
        f"p50 +{enforcement['p50_ms_per_authorized_call']} ms, p99 +{enforcement['p99_ms_per_authorized_call']} ms; "
        f"no-op warm invoke plus one call {enforcement['noop_warm_p50_plus_one_authorized_call_ms']} ms "
        f"({'within' if enforcement['within_target'] else 'OVER'} the {WARM_INVOKE_TARGET_MS} ms target)"
    )
    print(f"\n{'workflow':28} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'x 1 state':>9}")
    for shape, stats in workflows.items():
        print(f"{shape:28} {stats['n']:>4} {stats['p50_ms']:>8} {stats['p99_ms']:>8} {stats['p50_vs_one_state']:>9}")
    print(f"\n{'front door route':24} {'measure':16} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for route, measures in front_door.items():
        for kind, stats in measures.items():
            print(
                f"{route:24} {kind:16} {stats['n']:>4} {stats['p50_ms']:>8} {stats['p99_ms']:>8} {stats['max_ms']:>8}"
            )
    print(f"\n{'sqs send':24} {'queue depth':16} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for depth, stats in sqs_depth.items():
        print(
            f"{'SendMessage':24} {depth:16} {stats['n']:>4} {stats['p50_ms']:>8} {stats['p99_ms']:>8} {stats['max_ms']:>8}"
        )
    worst = max(m["overhead"]["p50_ms"] for m in front_door.values())
    verdict = "within" if worst < FRONT_DOOR_TARGET_P50_MS else "OVER"
    print(f"\nfront door p50 overhead {worst} ms: {verdict} the {FRONT_DOOR_TARGET_P50_MS} ms target")
    print(f"written to {OUT_DIR.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
