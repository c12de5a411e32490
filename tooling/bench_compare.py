"""Side-by-side measurements for `make bench`: the local cloud against what users would pick instead.

Every number is measured in the same run on the same machine, and reported with
its ratio to a baseline of that run, never as a lone absolute time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from localcloud.control import LocalCloud
from tooling.bench_kit import NOOP, PUT_ITEM, allow_api, percentiles, zip_source


def timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def handler_alternatives(cloud: LocalCloud, role: str, warm_n: int = 100, process_n: int = 15) -> dict[str, Any]:
    """One handler (a boto3 client made at import, one PutItem per event) run four ways."""
    lam, ddb = cloud.client("lambda"), cloud.client("dynamodb")
    ddb.create_table(
        TableName="compare",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
    )
    work = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    (work / "fn.py").write_text(PUT_ITEM)
    (work / "event.json").write_text('{"n": 1}')
    env = {**os.environ, **cloud.environment(), "TABLE": "compare", "PYTHONPATH": str(work)}

    lam.create_function(
        FunctionName="compare",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source(PUT_ITEM)},
        Environment={"Variables": {"TABLE": "compare"}},
    )

    def invoke() -> None:
        response = lam.invoke(FunctionName="compare", Payload=b'{"n": 1}')
        response["Payload"].read()
        assert "FunctionError" not in response, response

    cold = []
    for i in range(5):
        lam.update_function_configuration(
            FunctionName="compare", Environment={"Variables": {"TABLE": "compare", "COLD": str(i)}}
        )
        cold.append(timed(invoke))
    warm = [timed(invoke) for _ in range(warm_n)]

    def cli() -> None:  # python-lambda-local as people run it: a new process per event
        subprocess.run(
            [
                sys.executable,
                "-m",
                "lambda_local",
                "-f",
                "handler",
                "-t",
                "10",
                str(work / "fn.py"),
                str(work / "event.json"),
            ],
            env=env,
            check=True,
            capture_output=True,
        )

    def fresh_interpreter() -> None:
        subprocess.run(
            [sys.executable, "-c", "import fn; fn.handler({'n': 1}, None)"], env=env, check=True, capture_output=True
        )

    lambda_local_cli = [timed(cli) for _ in range(process_n)]
    fresh = [timed(fresh_interpreter) for _ in range(process_n)]
    lambda_local_api = _lambda_local_api(work, env, warm_n)
    results = {
        "local cloud, warm (Invoke API)": percentiles(warm),
        "local cloud, cold (Invoke API)": percentiles(cold),
        "python-lambda-local, call() (fork per event)": percentiles(lambda_local_api),
        "python-lambda-local, CLI (process per event)": percentiles(lambda_local_cli),
        "fresh interpreter per event": percentiles(fresh),
    }
    baseline = results["local cloud, warm (Invoke API)"]["p50_ms"]
    for stats in results.values():
        stats["p50_vs_local_cloud_warm"] = round(stats["p50_ms"] / baseline, 2)
    return results


def _lambda_local_api(work: Path, env: dict[str, str], n: int) -> list[float]:
    """python-lambda-local's call(): the handler imported once here, each event run in a forked child."""
    script = f"""
import json, os, sys, time
sys.path.insert(0, {str(work)!r})
from lambda_local.main import call
from lambda_local.context import Context
import logging
logging.disable(logging.CRITICAL)
import fn
samples = []
for i in range({n}):
    started = time.perf_counter()
    result, error = call(fn.handler, {{"n": i}}, Context(10))
    assert error is None, result
    samples.append((time.perf_counter() - started) * 1000)
print(json.dumps(samples))
"""
    out = subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True).stdout
    return [float(sample) for sample in json.loads(out.strip().splitlines()[-1])]


def sqs_throughput(cloud: LocalCloud, role: str, messages: int = 400, concurrency: int = 5) -> dict[str, Any]:
    """Messages per second an SQS event source mapping delivers to a no-op handler at a concurrency cap."""
    lam, sqs = cloud.client("lambda"), cloud.client("sqs")
    queue = sqs.create_queue(QueueName="bench-throughput", Attributes={"VisibilityTimeout": "60"})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lam.create_function(
        FunctionName="throughput",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source(NOOP)},
        Timeout=30,
    )
    for start in range(0, messages, 10):
        sqs.send_message_batch(
            QueueUrl=queue, Entries=[{"Id": str(i), "MessageBody": str(start + i)} for i in range(10)]
        )
    started = time.perf_counter()
    lam.create_event_source_mapping(
        EventSourceArn=arn,
        FunctionName="throughput",
        BatchSize=10,
        ScalingConfig={"MaximumConcurrency": max(2, concurrency)},
    )
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    while True:
        counts = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=names)["Attributes"]
        if all(counts[name] == "0" for name in names):
            break
        if time.perf_counter() - started > 120:
            raise RuntimeError(f"queue not drained in 120 s: {counts}")
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    return {
        "messages": messages,
        "batch_size": 10,
        "maximum_concurrency": concurrency,
        "seconds": round(seconds, 2),
        "messages_per_second": round(messages / seconds, 1),
    }


def front_door_under_load(cloud: LocalCloud, role: str, clients: int = 8, seconds: float = 10.0) -> dict[str, Any]:
    """8 concurrent clients on an API -> Lambda -> DynamoDB route: the front door's own overhead and the
    sustained requests per second; the baseline is the same handler invoked directly, one client."""
    from localcloud.apigateway.urls import TIMINGS_PATH, local_url

    lam, apigw = cloud.client("lambda"), cloud.client("apigateway")
    handler = PUT_ITEM.replace('return {"ok": True}', 'return {"statusCode": 201, "body": "{}"}').replace(
        'str(event["n"])', 'event["requestContext"]["requestId"]'
    )
    fn = lam.create_function(
        FunctionName="route",
        Runtime="python3.11",
        Role=role,
        Handler="fn.handler",
        Code={"ZipFile": zip_source(handler)},
        Environment={"Variables": {"TABLE": "compare"}},
    )["FunctionArn"]
    api = apigw.create_rest_api(name="bench-load")["id"]
    root = apigw.get_resources(restApiId=api)["items"][0]["id"]
    resource = apigw.create_resource(restApiId=api, parentId=root, pathPart="items")["id"]
    apigw.put_method(restApiId=api, resourceId=resource, httpMethod="POST", authorizationType="NONE")
    apigw.put_integration(
        restApiId=api,
        resourceId=resource,
        httpMethod="POST",
        type="AWS_PROXY",
        integrationHttpMethod="POST",
        uri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{fn}/invocations",
    )
    apigw.create_deployment(restApiId=api, stageName="bench")
    allow_api(cloud, fn, api)
    url = local_url(cloud.endpoint, api, "bench", "items")

    def post() -> None:
        request = urllib.request.Request(url, data=b"{}", method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    for _ in range(20):
        post()
    urllib.request.urlopen(urllib.request.Request(cloud.endpoint + TIMINGS_PATH, method="DELETE")).read()
    done = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            post()
            with lock:
                done += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(client) for _ in range(clients)]:
            future.result()
    elapsed = time.perf_counter() - started
    timings = json.loads(urllib.request.urlopen(cloud.endpoint + TIMINGS_PATH).read())
    overhead = percentiles([t["total_ms"] - t["integration_ms"] for t in timings])
    direct = [
        timed(
            lambda: lam.invoke(
                FunctionName="route", Payload=json.dumps({"requestContext": {"requestId": str(time.time_ns())}})
            )["Payload"].read()
        )
        for _ in range(100)
    ]
    return {
        "clients": clients,
        "requests": done,
        "requests_per_second": round(done / elapsed, 1),
        "front_door_overhead": overhead,
        "overhead_p99_target_ms": 1.0,
        "direct_invoke_one_client": percentiles(direct),
        "rps_vs_one_client_direct_invoke": round((done / elapsed) / (1000 / percentiles(direct)["p50_ms"]), 2),
    }


def apply_to_first_request(cloud: LocalCloud, root_dir: Path, package: Path) -> dict[str, Any]:
    """Seconds from `terraform apply` of P01's test stack to its first served request (a 201)."""
    from .terraform import LOCAL_CLOUD_PARALLELISM, TerraformRoot

    work = Path(tempfile.mkdtemp(prefix="bench-apply-"))
    root = TerraformRoot(
        root_dir,
        env={**cloud.environment(), "TF_DATA_DIR": str(work / ".terraform")},
        variables={"name": "bench-p01", "package_path": str(package)},
        state_path=work / "terraform.tfstate",
        parallelism=LOCAL_CLOUD_PARALLELISM,
    )
    root.init()
    started = time.perf_counter()
    root.apply()
    applied = time.perf_counter() - started
    from localcloud.apigateway.urls import local_url

    outputs = root.outputs()["service"]
    url = local_url(cloud.endpoint, outputs["api_id"], outputs["stage_name"], "items")
    # The module's default authorization is AWS_IAM: the request is signed, as a caller in AWS signs it.
    body = b'{"name": "first"}'
    headers = cloud.signed_headers("POST", url, body, {"Content-Type": "application/json"})
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 201, response.status
    served = time.perf_counter() - started
    root.destroy()
    return {
        "apply_s": round(applied, 1),
        "apply_to_first_201_s": round(served, 1),
        "first_request_share": round((served - applied) / served, 3),
    }


def cache_aside_reads(cloud: LocalCloud, root_dir: Path, package: Path, n: int = 40) -> dict[str, Any]:
    """P24 end to end through its HTTP API: a read the cache answers (hit) against one that queries PostgreSQL
    through the RDS Proxy and fills the cache (miss), the same reader warm, in the same run."""
    from .terraform import LOCAL_CLOUD_PARALLELISM, TerraformRoot

    work = Path(tempfile.mkdtemp(prefix="bench-p24-"))
    root = TerraformRoot(
        root_dir,
        env={**cloud.environment(), "TF_DATA_DIR": str(work / ".terraform")},
        variables={"name": "bench-p24", "package_path": str(package)},
        state_path=work / "terraform.tfstate",
        parallelism=LOCAL_CLOUD_PARALLELISM,
    )
    root.init()
    root.apply()
    try:
        api = root.outputs()["reports"]["api_id"]

        def call(method: str, path: str, body: bytes | None = None) -> tuple[float, str | None]:
            request = urllib.request.Request(
                f"{cloud.endpoint}{path}",
                data=body,
                method=method,
                headers={"Host": f"{api}.execute-api.localhost", "Content-Type": "application/json"},
            )
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.status == 200, response.status
                return (time.perf_counter() - started) * 1000, response.headers.get("x-cache")

        article = json.dumps({"title": "Bench", "body": "x" * 2000, "author": "bench"}).encode()
        samples: dict[str, list[float]] = {"miss": [], "hit": []}
        for index in range(n + 1):  # the first warms the reader and writer up
            path = f"/articles/bench-{index}"
            call("PUT", path, article)
            miss, first = call("GET", path)
            hit, second = call("GET", path)
            assert (first, second) == ("miss", "hit"), (first, second)
            if index:
                samples["miss"].append(miss)
                samples["hit"].append(hit)
    finally:
        root.destroy()
    results = {kind: percentiles(values) for kind, values in samples.items()}
    results["hit"]["p50_vs_miss"] = round(results["hit"]["p50_ms"] / results["miss"]["p50_ms"], 2)
    return results


def edge_hit_miss_origin(cloud: LocalCloud, n: int = 100, size: int = 10_000) -> dict[str, Any]:
    """A distribution in front of a loopback origin serving `size` bytes: a cache hit, a miss (a new query
    string each time: the policy keys on it) and the origin asked directly, in the same run."""
    import uuid
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = b"x" * size

    class Origin(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "max-age=3600")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Origin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cloudfront = cloud.client("cloudfront")
    try:
        policy = cloudfront.create_cache_policy(
            CachePolicyConfig={
                "Name": f"bench-{uuid.uuid4().hex[:8]}", "MinTTL": 0, "DefaultTTL": 3600, "MaxTTL": 86400,
                "ParametersInCacheKeyAndForwardedToOrigin": {
                    "EnableAcceptEncodingGzip": False,
                    "HeadersConfig": {"HeaderBehavior": "none"},
                    "CookiesConfig": {"CookieBehavior": "none"},
                    "QueryStringsConfig": {"QueryStringBehavior": "all"},
                },
            }
        )["CachePolicy"]["Id"]  # fmt: skip
        origin = {"Id": "o", "DomainName": "127.0.0.1", "CustomOriginConfig": {
            "HTTPPort": server.server_address[1], "HTTPSPort": 443, "OriginProtocolPolicy": "http-only"}}  # fmt: skip
        domain = cloudfront.create_distribution(
            DistributionConfig={
                "CallerReference": uuid.uuid4().hex, "Comment": "bench", "Enabled": True,
                "Origins": {"Quantity": 1, "Items": [origin]},
                "DefaultCacheBehavior": {"TargetOriginId": "o", "ViewerProtocolPolicy": "allow-all", "CachePolicyId": policy},
            }
        )["Distribution"]["DomainName"]  # fmt: skip

        def get(url: str, host: str | None = None) -> tuple[float, str | None]:
            request = urllib.request.Request(url, headers={"Host": host} if host else {})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                assert len(response.read()) == size
                return (time.perf_counter() - started) * 1000, response.headers.get("X-Cache")

        direct = f"http://127.0.0.1:{server.server_address[1]}/object"
        samples: dict[str, list[float]] = {"origin_direct": [], "edge_miss": [], "edge_hit": []}
        get(f"{cloud.endpoint}/object", domain)  # warms the edge's path and caches the hit's object
        for index in range(n):
            samples["origin_direct"].append(get(direct)[0])
            miss, first = get(f"{cloud.endpoint}/object?v={index}", domain)
            hit, second = get(f"{cloud.endpoint}/object", domain)
            assert (first, second) == ("Miss from cloudfront", "Hit from cloudfront"), (first, second)
            samples["edge_miss"].append(miss)
            samples["edge_hit"].append(hit)
    finally:
        server.shutdown()
    results: dict[str, Any] = {kind: percentiles(values) for kind, values in samples.items()}
    for kind in ("edge_miss", "edge_hit"):
        results[kind]["p50_vs_origin_direct"] = round(results[kind]["p50_ms"] / results["origin_direct"]["p50_ms"], 2)
    return results
