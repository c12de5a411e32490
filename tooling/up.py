"""`make up`: apply environments/local on the running local cloud, then smoke-test each pattern.

Prints one row per smoke request (real HTTP through the local API Gateway): pattern, request, result, time.
Usage: python -m tooling.up [--port 4566] [--skip-apply]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud, LocalCloudError, healthy

from .terraform import LOCAL_CLOUD_PARALLELISM, TerraformError, TerraformRoot

ROOT = Path(__file__).resolve().parent.parent
LOCAL_ENV = ROOT / "environments" / "local"
APPLY_LOG = ROOT / "build" / "up" / "terraform-apply.log"
PATTERN_OF = re.compile(r"module\.patterns\.module\.([a-z_]+)")


class ApplyProgress:
    """`terraform apply -json` events as progress: resources done of the plan's total, the pattern being
    created, elapsed time. A bar redrawn in place on a terminal; plain lines (one per pattern, and at the
    end) where output is a log, as in CI."""

    def __init__(self, out: Any = sys.stdout, interactive: bool | None = None, width: int = 30) -> None:
        self.out = out
        self.interactive = out.isatty() if interactive is None else interactive
        self.width = width
        self.total: int | None = None
        self.done = 0
        self.pattern = "shared resources"
        self.started = time.monotonic()
        self._announced: set[str] = set()

    def __call__(self, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "change_summary" and (event.get("changes") or {}).get("operation") == "plan":
            changes = event["changes"]
            self.total = int(changes.get("add", 0)) + int(changes.get("change", 0)) + int(changes.get("remove", 0))
            self._write(
                f"plan: {changes.get('add', 0)} to add, {changes.get('change', 0)} to change, "
                f"{changes.get('remove', 0)} to destroy",
                line=True,
            )
        elif (
            kind in ("apply_start", "apply_complete", "apply_errored")
            and (event.get("hook") or {}).get("action") == "read"
        ):
            return  # data sources read while planning: not changes of the plan
        elif kind == "apply_start":
            address = (event.get("hook") or {}).get("resource", {}).get("addr", "")
            found = PATTERN_OF.search(address)
            self.pattern = found.group(1).replace("_", "-") if found else "shared resources"
            if not self.interactive and self.pattern not in self._announced:
                self._announced.add(self.pattern)
                self._write(
                    f"{self._elapsed()} creating {self.pattern} ({self.done}/{self.total or '?'} done)", line=True
                )
        elif kind in ("apply_complete", "apply_errored"):
            self.done += 1
            if self.interactive:
                self._write(self._bar())
            elif self.total and self.done in {self.total * q // 4 for q in (1, 2, 3)}:
                self._write(f"{self._elapsed()} {self.done}/{self.total} resources applied", line=True)

    def finish(self) -> None:
        self._write(
            f"{self._elapsed()} {self.done}/{self.total if self.total is not None else self.done} resources applied",
            line=True,
        )

    def _elapsed(self) -> str:
        return f"[{time.monotonic() - self.started:5.0f} s]"

    def _bar(self) -> str:
        total = self.total or max(self.done, 1)
        filled = int(self.width * min(self.done, total) / total)
        return f"{self._elapsed()} [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{total} {self.pattern}"

    def _write(self, text: str, line: bool = False) -> None:
        if self.interactive:
            self.out.write("\r\033[K" + text + ("\n" if line else ""))
        else:
            self.out.write(text + "\n")
        self.out.flush()


@dataclass
class SmokeResult:
    pattern: str
    request: str
    result: str
    ok: bool
    seconds: float


def _http(method: str, url: str, body: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(
        url,
        data=body.encode() if body else None,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _http_api(
    cloud: LocalCloud, api_id: str, method: str, path: str, body: str | None = None
) -> tuple[int, Any, bytes]:
    """A request to an HTTP API's $default stage, served at the root of its own host: status, headers, body."""
    request = urllib.request.Request(
        f"{cloud.endpoint}{path}",
        method=method,
        data=body.encode() if body is not None else None,
        headers={"Host": f"{api_id}.execute-api.localhost", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def smoke_simple_web_service(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["simple-web-service"]
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    results = []

    def call(method: str, path: str, body: str | None, expect: int, label: str) -> str | None:
        started = time.perf_counter()
        status, text = _http(method, f"{base}/{path}", body)
        results.append(
            SmokeResult(
                "P01 simple-web-service",
                label,
                f"{status} {text[:60]}",
                status == expect,
                time.perf_counter() - started,
            )
        )
        return text if status == expect else None

    created = call("POST", "items", '{"name": "smoke"}', 201, "POST /items {name: smoke}")
    if created:
        item_id = json.loads(created)["id"]
        call("GET", f"items/{item_id}", None, 200, f"GET /items/{item_id[:8]}...")
    call("POST", "items", "{not json", 400, "POST /items {not json")
    return results


def smoke_queue_based_load_leveling(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["queue-based-load-leveling"]
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    started = time.perf_counter()
    status, text = _http("POST", f"{base}/requests", '{"customer": "smoke", "amount": 100}')
    results = [
        SmokeResult(
            "P14 queue-based-load-leveling",
            "POST /requests {amount: 100}",
            f"{status} {text[:60]}",
            status == 202,
            time.perf_counter() - started,
        )
    ]
    if status != 202:
        return results
    started = time.perf_counter()
    location = json.loads(text)["status"]
    answer = ""
    while time.perf_counter() - started < 30:
        code, answer = _http("GET", f"{base}/{location}")
        if code == 200 and json.loads(answer).get("status") == "DONE":
            break
        time.sleep(0.3)
    done = '"DONE"' in answer
    results.append(
        SmokeResult(
            "P14 queue-based-load-leveling",
            f"GET {location[:17]}... until DONE",
            " ".join(answer.split())[:60],
            done,
            time.perf_counter() - started,
        )
    )
    return results


def _wait_for(probe: Callable[[], Any], timeout_s: float = 30.0) -> Any:
    """The probe's first truthy answer within the timeout, else its last answer."""
    deadline = time.perf_counter() + timeout_s
    answer = probe()
    while not answer and time.perf_counter() < deadline:
        time.sleep(0.3)
        answer = probe()
    return answer


def _queues_reached(sqs: Any, queues: dict[str, str], matches: Callable[[str], bool]) -> list[str]:
    """Names of the queues (name -> URL) where a message whose body matches arrives within the wait;
    what is read is deleted, so smoke runs do not pile up."""

    def arrived(url: str) -> bool:
        for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            if matches(message["Body"]):
                return True
        return False

    return [name for name, url in sorted(queues.items()) if _wait_for(lambda url=url: arrived(url))]


def smoke_fifoer(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["fifoer"]
    sqs, ddb = cloud.client("sqs"), cloud.client("dynamodb")
    account = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    for reference, kind, amount in (("s-1", "deposit", 100), ("s-2", "withdrawal", 30)):
        sqs.send_message(
            QueueUrl=service["queue_url"],
            MessageGroupId=account,
            MessageBody=json.dumps({"account": account, "kind": kind, "amount": amount, "reference": reference}),
        )

    def applied() -> list[dict[str, Any]]:
        items = ddb.query(
            TableName=service["ledger_table_name"],
            ConsistentRead=True,
            KeyConditionExpression="pk = :a AND begins_with(sk, :e)",
            ExpressionAttributeValues={":a": {"S": account}, ":e": {"S": "ENTRY#"}},
        )["Items"]
        return items if len(items) == 2 else []

    entries = _wait_for(applied)
    trail = " -> ".join(f"{e['reference']['S']} {e['status']['S']} {e['balanceAfter']['N']}" for e in entries)
    ok = [e["balanceAfter"]["N"] for e in entries] == ["100", "70"]
    return [
        SmokeResult(
            "P13 fifoer",
            "SQS FIFO deposit 100, withdraw 30",
            trail or "not applied in 30 s",
            ok,
            time.perf_counter() - started,
        )
    ]


def smoke_big_fan(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["big-fan"]
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    ddb = cloud.client("dynamodb")
    started = time.perf_counter()
    status, text = _http("POST", f"{base}/events", '{"type": "payment", "detail": {"amount": 12}}')
    if status != 202:
        return [
            SmokeResult(
                "P12 big-fan",
                "POST /events {type: payment}",
                f"{status} {text[:60]}",
                False,
                time.perf_counter() - started,
            )
        ]
    event_id = json.loads(text)["eventId"]
    expected = sorted(name for name, s in service["subscribers"].items() if "payment" in s["event_types"])

    def received() -> list[str]:
        items = ddb.query(
            TableName=service["deliveries_table_name"],
            ConsistentRead=True,
            KeyConditionExpression="eventId = :e",
            ExpressionAttributeValues={":e": {"S": event_id}},
        )["Items"]
        names = sorted(item["subscriber"]["S"] for item in items)
        return names if names == expected else []

    names = _wait_for(received)
    return [
        SmokeResult(
            "P12 big-fan",
            "POST /events {type: payment}",
            f"202, received by {', '.join(names) or 'nobody in 30 s'}",
            bool(names),
            time.perf_counter() - started,
        )
    ]


def smoke_distributed_trigger(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["distributed-trigger"]
    sqs = cloud.client("sqs")
    order = f"smoke-{int(time.time() * 1000)}"
    started = time.perf_counter()
    cloud.client("events").put_events(
        Entries=[
            {
                "EventBusName": service["event_bus_name"],
                "Source": "serverless-patterns.orders",
                "DetailType": "OrderPlaced",
                "Detail": json.dumps({"id": order}),
            }
        ]
    )

    reached = _queues_reached(
        sqs,
        {name: s["queue_url"] for name, s in service["subscribers"].items()},
        lambda body: json.loads(body).get("subject") == order,
    )
    return [
        SmokeResult(
            "P15 distributed-trigger",
            "PutEvents OrderPlaced",
            f"in the queues of {', '.join(reached)}",
            len(reached) == len(service["subscribers"]),
            time.perf_counter() - started,
        )
    ]


def smoke_notifier(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["notifier"]
    sqs = cloud.client("sqs")
    invoice = f"smoke-{int(time.time() * 1000)}"
    started = time.perf_counter()
    cloud.client("sns").publish(
        TopicArn=service["topic_arn"], Message=json.dumps({"type": "InvoiceIssued", "invoice": invoice})
    )

    reached = _queues_reached(
        sqs, {name: s["queue_url"] for name, s in service["queue_subscribers"].items()}, lambda body: invoice in body
    )
    return [
        SmokeResult(
            "P10 notifier",
            "Publish InvoiceIssued",
            f"in the queues of {', '.join(reached)}",
            len(reached) == len(service["queue_subscribers"]),
            time.perf_counter() - started,
        )
    ]


def smoke_pub_sub(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["pub-sub"]
    s3 = cloud.client("s3")
    key = f"in/smoke-{int(time.time() * 1000)}.txt"
    started = time.perf_counter()
    s3.put_object(Bucket=service["uploads_bucket"], Key=key, Body=b"smoke test\n", ContentType="text/plain")
    expected = {"metadata": f"metadata/{key}.json", "preview": f"preview/{key}.txt", "gzip": f"gzip/{key}.gz"}

    def written(output_key: str) -> bool:
        found = s3.list_objects_v2(Bucket=service["outputs_bucket"], Prefix=output_key).get("Contents", [])
        return any(o["Key"] == output_key for o in found)

    done = [name for name, output_key in expected.items() if _wait_for(lambda k=output_key: written(k))]
    return [
        SmokeResult(
            "P11 pub-sub",
            f"PutObject {key[:20]}...",
            f"outputs of {', '.join(done) or 'none in 30 s'}",
            len(done) == len(expected),
            time.perf_counter() - started,
        )
    ]


def smoke_internal_handoff(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["internal-handoff"]
    customer = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["caller_function_name"],
        Payload=json.dumps({"orderId": f"{customer}-1", "customer": customer, "amount": 42}),
    )
    accepted = json.loads(answer["Payload"].read()).get("status") == "accepted"
    ddb = cloud.client("dynamodb")

    def credited() -> dict[str, Any] | None:
        return ddb.get_item(
            TableName=service["ledger_table_name"], ConsistentRead=True, Key={"customer": {"S": customer}}
        ).get("Item")

    item = _wait_for(credited) if accepted else None
    result = (
        f"accepted; worker credited {item['balance']['N']}"
        if item
        else ("accepted; not credited in 30 s" if accepted else "caller did not accept the order")
    )
    return [
        SmokeResult(
            "P04 internal-handoff", "Invoke caller, order of 42", result, bool(item), time.perf_counter() - started
        )
    ]


def smoke_internal_api(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["internal-api"]
    sku = f"smoke-{int(time.time())}"
    cloud.client("dynamodb").put_item(
        TableName=service["table_name"], Item={"pk": {"S": f"SKU#{sku}"}, "available": {"N": "5"}}
    )
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["function_name"],
        Payload=json.dumps({"action": "reserve", "sku": sku, "quantity": 2, "reservationId": f"{sku}-1"}),
    )
    body = json.loads(answer["Payload"].read())
    ok = answer.get("FunctionError") is None and body.get("ok") and body["result"]["available"] == 3
    result = f"reserved 2 of 5, {body['result']['available']} left" if ok else f"answered {body}"[:80]
    return [
        SmokeResult("P03 internal-api", "Invoke service, reserve 2", result, bool(ok), time.perf_counter() - started)
    ]


def smoke_router(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["router"]
    task_id = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    cloud.client("lambda").invoke(
        FunctionName=service["router_function_name"],
        InvocationType="Event",
        Payload=json.dumps(
            {"taskType": "sms", "taskId": task_id, "payload": {"to": "+4915112345678", "text": "smoke"}}
        ),
    )
    ddb = cloud.client("dynamodb")

    def done() -> dict[str, Any] | None:
        return ddb.get_item(
            TableName=service["tasks"]["sms"]["table_name"], ConsistentRead=True, Key={"taskId": {"S": task_id}}
        ).get("Item")

    item = _wait_for(done)
    return [
        SmokeResult(
            "P08 router",
            "Invoke router (Event), sms task",
            "recorded by the sms function" if item else "not recorded in 30 s",
            bool(item),
            time.perf_counter() - started,
        )
    ]


def smoke_event_driven_processing(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["event-driven-processing"]
    s3 = cloud.client("s3")
    name = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    s3.put_object(
        Bucket=service["input_bucket_name"],
        Key=f"{service['input_prefix']}{name}.csv",
        Body=b"region,amount\nnorth,1.50\nnorth,2.50\n",
    )

    def report() -> dict[str, Any] | None:
        try:
            answer = s3.get_object(Bucket=service["output_bucket_name"], Key=f"{service['report_prefix']}{name}.json")
        except s3.exceptions.NoSuchKey:
            return None
        return json.loads(answer["Body"].read())

    found = _wait_for(report)
    ok = bool(found) and found.get("totals") == {"north": "4.00"}
    return [
        SmokeResult(
            "P16 event-driven-processing",
            f"PutObject {name}.csv",
            f"report totals {found['totals']}" if found else "no report in 30 s",
            ok,
            time.perf_counter() - started,
        )
    ]


def smoke_fan_out_fan_in(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["fan-out-fan-in"]
    job_id = f"smoke-{int(time.time())}"
    keys = [f"{job_id}/{n}.txt" for n in range(25)]
    for n, key in enumerate(keys):
        cloud.client("s3").put_object(Bucket=service["documents_bucket_name"], Key=key, Body=b"word " * (n + 1))
    lam = cloud.client("lambda")
    started = time.perf_counter()
    lam.invoke(FunctionName=service["splitter_function_name"], Payload=json.dumps({"jobId": job_id, "keys": keys}))

    def complete() -> dict[str, Any] | None:
        answer = lam.invoke(FunctionName=service["status_function_name"], Payload=json.dumps({"jobId": job_id}))
        state = json.loads(answer["Payload"].read())
        return state if state.get("status") == "COMPLETE" else None

    state = _wait_for(complete)
    ok = bool(state) and state["result"]["words"] == sum(range(1, 26))
    result = f"{state['parts']} parts, {state['result']['words']} words" if state else "not complete in 30 s"
    return [
        SmokeResult("P17 fan-out-fan-in", "Invoke splitter, 25 documents", result, ok, time.perf_counter() - started)
    ]


def smoke_map_reduce(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["map-reduce"]
    s3 = cloud.client("s3")
    name = f"smoke-{int(time.time())}.txt"
    text = "to be or not to be " * 200
    started = time.perf_counter()
    s3.put_object(Bucket=service["input_bucket_name"], Key=f"{service['input_prefix']}{name}", Body=text.encode())

    def result() -> dict[str, Any] | None:
        listed = s3.list_objects_v2(Bucket=service["work_bucket_name"], Prefix="jobs/").get("Contents", [])
        found = [o["Key"] for o in listed if o["Key"].endswith("/result.json") and f"/{name}-" in o["Key"]]
        return (
            json.loads(s3.get_object(Bucket=service["work_bucket_name"], Key=found[0])["Body"].read())
            if found
            else None
        )

    found = _wait_for(result)
    ok = bool(found) and found["counts"] == {"be": 400, "not": 200, "or": 200, "to": 400}
    return [
        SmokeResult(
            "P18 map-reduce",
            f"PutObject {name}",
            f"{found['words']} words by {found['mappers']} mapper(s)" if found else "no result in 30 s",
            ok,
            time.perf_counter() - started,
        )
    ]


def smoke_strangler(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["strangler"]
    started = time.perf_counter()
    status, headers, _ = _http_api(
        cloud, service["api_id"], "POST", "/products", json.dumps({"name": "smoke", "price": 1})
    )
    served = headers.get("x-served-by")
    ok = status == 201 and served == "products-service"
    return [
        SmokeResult(
            "P07 strangler",
            "POST /products (migrated)",
            f"{status} served by {served}",
            ok,
            time.perf_counter() - started,
        )
    ]


def smoke_robust_api(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["robust-api"]
    started = time.perf_counter()
    status, _, _ = _http_api(cloud, service["api_id"], "POST", "/events", '{"type": "smoke"}')
    sqs = cloud.client("sqs")
    received = _wait_for(
        lambda: sqs.receive_message(QueueUrl=service["events_queue_url"], WaitTimeSeconds=1).get("Messages", [])
    )
    ok = status == 200 and any(json.loads(m["Body"]) == {"type": "smoke"} for m in received or [])
    return [
        SmokeResult(
            "P06 robust-api",
            "POST /events (SQS route)",
            f"{status}, in the events queue" if ok else f"{status}, not queued",
            ok,
            time.perf_counter() - started,
        )
    ]


def smoke_aggregator(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["aggregator"]
    started = time.perf_counter()
    status, _, raw = _http_api(cloud, service["api_id"], "GET", "/customers/smoke/overview")
    body = json.loads(raw) if status == 200 else {}
    arrived = sorted(p for p in service["parts"] if p in body)
    missing = sorted(m["part"] for m in body.get("missing", []))
    # The local environment's stand-ins: one part answers, the other is a closed port, named as missing.
    ok = status == 200 and arrived == ["status"] and missing == ["unreachable"]
    return [
        SmokeResult(
            "P05 aggregator",
            "GET /customers/smoke/overview",
            f"{status}, parts {arrived}, missing {missing}",
            ok,
            time.perf_counter() - started,
        )
    ]


# One smoke check per pattern (module name, as in the environment's `patterns` output).
def smoke_dynamo_streamer(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["dynamo-streamer"]
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    started = time.perf_counter()
    status, text = _http("POST", f"{base}/messages", '{"message": "smoke", "author": "make up"}')
    if status != 201:
        return [
            SmokeResult(
                "P09 dynamo-streamer", "POST /messages", f"{status} {text[:60]}", False, time.perf_counter() - started
            )
        ]
    message_id = json.loads(text)["id"]
    ddb = cloud.client("dynamodb")

    def change() -> list[dict[str, Any]]:
        return ddb.query(
            TableName=service["changes_table_name"],
            KeyConditionExpression="id = :id",
            ExpressionAttributeValues={":id": {"S": message_id}},
        )["Items"]

    found = _wait_for(change)
    return [
        SmokeResult(
            "P09 dynamo-streamer",
            "POST /messages, then the stream consumer",
            f"201, change log {found[0]['kind']['S']}" if found else "201, no change logged in 30 s",
            bool(found),
            time.perf_counter() - started,
        )
    ]


def smoke_gatekeeper(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["gatekeeper"]
    base = local_url(cloud.endpoint, service["api_id"], service["stage_name"])
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["key_admin_function_name"],
        Payload=json.dumps(
            {"action": "issue", "principal": "make-up", "tenant": "smoke", "scopes": ["read", "write"], "ttlDays": 1}
        ),
    )
    issued = json.loads(answer["Payload"].read())
    if not issued.get("ok"):
        return [SmokeResult("P02 gatekeeper", "issue a key", str(issued)[:60], False, time.perf_counter() - started)]
    key = {"Authorization": f"Bearer {issued['key']}"}
    status, text = _http("POST", f"{base}/tenants/smoke/documents", '{"title": "smoke"}', key)
    results = [
        SmokeResult(
            "P02 gatekeeper",
            "issue a key, POST tenants/smoke/documents",
            f"{status} {text[:60]}",
            status == 201,
            time.perf_counter() - started,
        )
    ]
    started = time.perf_counter()
    status, text = _http("GET", f"{base}/tenants/other/documents", None, key)
    results.append(
        SmokeResult(
            "P02 gatekeeper",
            "GET tenants/other/documents (same key)",
            f"{status} {text[:60]}",
            status == 403,
            time.perf_counter() - started,
        )
    )
    return results


def _execution_status(sfn: Any, machine_arn: str, payload: dict[str, Any]) -> str:
    """Start an execution and wait for its end: its status, or why there is none."""
    execution = sfn.start_execution(stateMachineArn=machine_arn, input=json.dumps(payload))["executionArn"]

    def done() -> dict[str, Any] | None:
        described = sfn.describe_execution(executionArn=execution)
        return None if described["status"] == "RUNNING" else described

    described = _wait_for(done)
    return described["status"] if described else "still RUNNING after 30 s"


def smoke_state_machine(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["state-machine"]
    ddb, sfn = cloud.client("dynamodb"), cloud.client("stepfunctions")
    for sku in ("SMOKE-LAMP", "SMOKE-BULB"):
        ddb.put_item(TableName=service["inventory_table_name"], Item={"sku": {"S": sku}, "stock": {"N": "1000"}})
    order = {
        "orderId": f"smoke-{int(time.time())}",
        "customer": "make up",
        "items": [
            {"sku": "SMOKE-LAMP", "quantity": 1, "price": "40.00"},
            {"sku": "SMOKE-BULB", "quantity": 2, "price": "2.50"},
        ],
    }
    started = time.perf_counter()
    status = _execution_status(sfn, service["state_machine_arn"], order)
    return [
        SmokeResult(
            "P19 state-machine",
            "StartExecution (an order of 2 lines)",
            status,
            status == "SUCCEEDED",
            time.perf_counter() - started,
        )
    ]


def smoke_saga(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["saga"]
    sfn = cloud.client("stepfunctions")
    results = []
    for card, expected in (("4242", "SUCCEEDED"), ("declined", "FAILED")):
        booking = {
            "bookingId": f"smoke-{card}-{int(time.time())}",
            "hotel": "Hotel Smoke",
            "flight": "SM001",
            "amount": "100.00",
            "card": card,
        }
        started = time.perf_counter()
        status = _execution_status(sfn, service["state_machine_arn"], booking)
        label = "a booking" if card == "4242" else "a booking whose card is declined (compensated)"
        results.append(
            SmokeResult(
                "P20 saga", f"StartExecution ({label})", status, status == expected, time.perf_counter() - started
            )
        )
    return results


def smoke_circuit_breaker(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["circuit-breaker"]
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["function_name"], Payload=json.dumps({"method": "GET", "path": "/health"})
    )
    result = json.loads(answer["Payload"].read())
    ok = result.get("ok") is True and result.get("breaker") == "CLOSED"
    return [
        SmokeResult(
            "P21 circuit-breaker",
            "invoke the guard: GET /health",
            f"{result.get('status')} breaker {result.get('breaker')}",
            ok,
            time.perf_counter() - started,
        )
    ]


def smoke_eventbridge_circuit_breaker(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["eventbridge-circuit-breaker"]
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(
        FunctionName=service["function_name"], Payload=json.dumps({"method": "GET", "path": "/health"})
    )
    result = json.loads(answer["Payload"].read())
    return [
        SmokeResult(
            "P22 eventbridge-circuit-breaker",
            "invoke the guard: GET /health",
            f"{result.get('status')}, {result.get('recentFailures')} recent failures",
            result.get("ok") is True,
            time.perf_counter() - started,
        )
    ]


def smoke_eventually_consistent(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    import ssl

    import pg8000.native

    service = outputs["eventually-consistent"]
    customer = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    status, _, body = _http_api(
        cloud,
        service["api_id"],
        "PUT",
        f"/customers/{customer}",
        json.dumps({"name": "Smoke Test", "email": "smoke@example.com"}),
    )
    if status != 200:
        return [
            SmokeResult(
                "P23 eventually-consistent",
                "PUT /customers/...",
                f"{status} {body[:60]!r}",
                False,
                time.perf_counter() - started,
            )
        ]
    database = service["database"]
    secret = json.loads(
        cloud.client("secretsmanager").get_secret_value(SecretId=database["secret_arn"])["SecretString"]
    )
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE

    def copied() -> list[Any]:
        connection = pg8000.native.Connection(
            secret["username"],
            password=secret["password"],
            host=database["address"],
            port=int(database["port"]),
            database=database["name"],
            ssl_context=context,
        )
        try:
            return connection.run("SELECT version FROM customers WHERE id = :id", id=customer)
        except pg8000.native.DatabaseError:
            return []  # the replicator creates the table with its first connection
        finally:
            connection.close()

    rows = _wait_for(copied)
    return [
        SmokeResult(
            "P23 eventually-consistent",
            "PUT /customers/..., then SELECT from PostgreSQL",
            "copied, version 1" if rows else "not copied in 30 s",
            bool(rows),
            time.perf_counter() - started,
        )
    ]


def smoke_read_heavy_reporting(outputs: dict[str, Any], cloud: LocalCloud) -> list[SmokeResult]:
    service = outputs["read-heavy-reporting"]
    article = f"smoke-{int(time.time())}"
    started = time.perf_counter()
    status, _, body = _http_api(
        cloud,
        service["api_id"],
        "PUT",
        f"/articles/{article}",
        json.dumps({"title": "Smoke", "body": "Cached.", "author": "make up"}),
    )
    served = []
    if status == 200:
        for _ in range(2):
            status, headers, body = _http_api(cloud, service["api_id"], "GET", f"/articles/{article}")
            served.append(headers.get("x-cache") if status == 200 else f"{status} {body[:40]!r}")
    return [
        SmokeResult(
            "P24 read-heavy-reporting",
            "PUT /articles/..., GET it twice",
            " then ".join(str(s) for s in served) if served else f"{status} {body[:60]!r}",
            served == ["miss", "hit"],
            time.perf_counter() - started,
        )
    ]


SMOKE_CHECKS: dict[str, Callable[[dict[str, Any], LocalCloud], list[SmokeResult]]] = {
    "simple-web-service": smoke_simple_web_service,
    "queue-based-load-leveling": smoke_queue_based_load_leveling,
    "fifoer": smoke_fifoer,
    "big-fan": smoke_big_fan,
    "distributed-trigger": smoke_distributed_trigger,
    "notifier": smoke_notifier,
    "pub-sub": smoke_pub_sub,
    "internal-handoff": smoke_internal_handoff,
    "internal-api": smoke_internal_api,
    "router": smoke_router,
    "event-driven-processing": smoke_event_driven_processing,
    "fan-out-fan-in": smoke_fan_out_fan_in,
    "map-reduce": smoke_map_reduce,
    "strangler": smoke_strangler,
    "robust-api": smoke_robust_api,
    "aggregator": smoke_aggregator,
    "dynamo-streamer": smoke_dynamo_streamer,
    "gatekeeper": smoke_gatekeeper,
    "state-machine": smoke_state_machine,
    "saga": smoke_saga,
    "circuit-breaker": smoke_circuit_breaker,
    "eventbridge-circuit-breaker": smoke_eventbridge_circuit_breaker,
    "eventually-consistent": smoke_eventually_consistent,
    "read-heavy-reporting": smoke_read_heavy_reporting,
}


def print_table(results: list[SmokeResult]) -> None:
    headers = ("pattern", "request", "result", "time")
    rows = [
        (r.pattern, r.request, ("ok   " if r.ok else "FAIL ") + r.result, f"{r.seconds * 1000:.0f} ms") for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(value.ljust(w) for value, w in zip(row, widths, strict=True)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALCLOUD_PORT", "4566")))
    parser.add_argument("--skip-apply", action="store_true", help="only run the smoke requests")
    args = parser.parse_args(argv)
    cloud = LocalCloud(port=args.port)
    if not healthy(cloud.endpoint):
        print(f"error: no local cloud at {cloud.endpoint}; run `make localcloud-start`", file=sys.stderr)
        return 1
    root = TerraformRoot(LOCAL_ENV, env=cloud.environment(), parallelism=LOCAL_CLOUD_PARALLELISM)
    started = time.perf_counter()
    try:
        if not args.skip_apply:
            root.init()
            progress = ApplyProgress()
            root.apply_streaming(progress, APPLY_LOG)
            progress.finish()
            print(
                f"applied environments/local in {time.perf_counter() - started:.1f} s "
                f"(Terraform's log: {APPLY_LOG.relative_to(ROOT)})"
            )
        outputs = root.outputs()["patterns"]
    except (TerraformError, LocalCloudError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    results: list[SmokeResult] = []
    for pattern, check in SMOKE_CHECKS.items():
        if pattern in outputs:
            results.extend(check(outputs, cloud))
    skipped = sorted(set(SMOKE_CHECKS) - set(outputs))
    print()
    print_table(results)
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed")
    if skipped:
        print(f"not deployed (environments/local/terraform.tfvars `patterns`): {', '.join(skipped)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
