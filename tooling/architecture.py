"""Each module's architecture, derived from its Terraform: the services it deploys and the flows between them.

A module's graph is read from its `.tf` files and those of the modules it calls
(python-hcl2): the nodes are its resources of the services a picture shows
(functions, queues, topics, tables, buckets, APIs, buses, rules, state
machines, alarms, ...), the edges the flows its connecting resources declare
(a subscription from a topic to a queue, an event source mapping from a queue to
a function, a redrive policy to a dead-letter queue, an integration from an API
to what it calls, a function's environment naming a table, ...). A reference is
followed through `var.`, `local.`, `module.<m>.<output>` and `each.` to the
resources it ends at; an input the module leaves to its caller becomes an
external node. The text form (`architecture.txt`) is what a test compares with
the module, so the picture (`architecture.png`, drawn from the text with the
`diagrams` package and Graphviz) cannot drift from what the module deploys.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import re
import struct
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

# Resource types a picture shows, with the icon and the word a label uses for them.
NODE_KINDS: dict[str, tuple[str, str]] = {
    "aws_lambda_function": ("diagrams.aws.compute.Lambda", "function"),
    "aws_sqs_queue": ("diagrams.aws.integration.SQS", "queue"),
    "aws_sns_topic": ("diagrams.aws.integration.SNS", "topic"),
    "aws_dynamodb_table": ("diagrams.aws.database.Dynamodb", "table"),
    "aws_s3_bucket": ("diagrams.aws.storage.S3", "bucket"),
    "aws_api_gateway_rest_api": ("diagrams.aws.network.APIGateway", "REST API"),
    "aws_apigatewayv2_api": ("diagrams.aws.network.APIGateway", "HTTP API"),
    "aws_cloudwatch_event_bus": ("diagrams.aws.integration.Eventbridge", "event bus"),
    "aws_cloudwatch_event_rule": ("diagrams.aws.management.CloudwatchRule", "rule"),
    "aws_sfn_state_machine": ("diagrams.aws.integration.StepFunctions", "state machine"),
    "aws_cloudwatch_metric_alarm": ("diagrams.aws.management.CloudwatchAlarm", "alarm"),
    "aws_kinesis_stream": ("diagrams.aws.analytics.KinesisDataStreams", "stream"),
    "aws_kinesis_firehose_delivery_stream": ("diagrams.aws.analytics.KinesisDataFirehose", "delivery stream"),
    "aws_glue_catalog_table": ("diagrams.aws.analytics.GlueDataCatalog", "Glue table"),
    "aws_athena_workgroup": ("diagrams.aws.analytics.Athena", "workgroup"),
    "aws_scheduler_schedule": ("diagrams.aws.management.CloudwatchEventTimeBased", "schedule"),
    "aws_pipes_pipe": ("diagrams.aws.integration.Eventbridge", "pipe"),
    "aws_cognito_user_pool": ("diagrams.aws.security.Cognito", "user pool"),
    "aws_db_instance": ("diagrams.aws.database.RDS", "database"),
    "aws_rds_cluster": ("diagrams.aws.database.Aurora", "database"),
    "aws_db_proxy": ("diagrams.aws.database.RDS", "proxy"),
    "aws_elasticache_replication_group": ("diagrams.aws.database.ElasticacheForRedis", "cache"),
    "aws_elasticache_serverless_cache": ("diagrams.aws.database.ElasticacheForRedis", "cache"),
    "aws_cloudfront_distribution": ("diagrams.aws.network.CloudFront", "distribution"),
}
EXTERNAL_ICON = "diagrams.aws.general.General"
STAMP_KEY = b"architecture-sha256"

SELF = "self"


@dataclass(frozen=True)
class Flow:
    """Resources of `connector` type carry a flow from what `source` names to what `target` names."""

    source: tuple[str, ...]
    target: tuple[str, ...]
    label: str
    externals: bool = True  # whether an input left to the caller may be an end of it


# Attribute paths: dots descend into blocks and maps; SELF is the connector itself.
FLOWS: dict[str, list[Flow]] = {
    "aws_sns_topic_subscription": [Flow(("topic_arn",), ("endpoint",), "subscription")],
    "aws_lambda_event_source_mapping": [
        Flow(("event_source_arn",), ("function_name",), "polled by"),
        Flow(("function_name",), ("destination_config.on_failure.destination_arn",), "on failure"),
    ],
    "aws_lambda_function_event_invoke_config": [
        Flow(("function_name",), ("destination_config.on_success.destination",), "on success"),
        Flow(("function_name",), ("destination_config.on_failure.destination",), "on failure"),
    ],
    "aws_lambda_function": [
        Flow((SELF,), ("dead_letter_config.target_arn",), "dead letters"),
        Flow((SELF,), ("environment.variables",), "uses", externals=False),
    ],
    "aws_sqs_queue": [Flow((SELF,), ("redrive_policy",), "redrive", externals=False)],
    "aws_cloudwatch_event_rule": [Flow(("event_bus_name",), (SELF,), "matched by")],
    "aws_cloudwatch_event_target": [
        Flow(("rule",), ("arn",), "target"),
        Flow(("rule",), ("dead_letter_config.arn",), "undeliverable"),
    ],
    "aws_s3_bucket_notification": [
        Flow(("bucket",), ("queue.queue_arn", "topic.topic_arn", "lambda_function.lambda_function_arn"), "notifies"),
    ],
    "aws_api_gateway_integration": [
        Flow(("rest_api_id",), ("uri", "request_templates", "request_parameters"), "integration"),
    ],
    "aws_apigatewayv2_integration": [Flow(("api_id",), ("integration_uri", "request_parameters"), "integration")],
    # Who decides whether a request goes on: a Lambda authorizer, or a user pool's tokens.
    "aws_api_gateway_authorizer": [Flow(("rest_api_id",), ("authorizer_uri", "provider_arns"), "authorized by")],
    "aws_apigatewayv2_authorizer": [Flow(("api_id",), ("authorizer_uri", "jwt_configuration.issuer"), "authorized by")],
    "aws_cloudwatch_metric_alarm": [
        Flow(("dimensions",), (SELF,), "watched by", externals=False),
        Flow((SELF,), ("alarm_actions", "ok_actions"), "alarm action"),
    ],
    # Only resources a definition names are its tasks (its variables are settings, not callers).
    "aws_sfn_state_machine": [Flow((SELF,), ("definition",), "task", externals=False)],
    # A principal named by a function's resource policy (another account, a role): who may call it.
    "aws_lambda_permission": [Flow(("principal",), ("function_name",), "may invoke")],
    # An RDS Proxy's registered target: the database whose connections it pools.
    "aws_db_proxy_target": [Flow(("db_proxy_name",), ("db_instance_identifier", "db_cluster_identifier"), "pools")],
    "aws_pipes_pipe": [Flow(("source",), ("target",), "piped to")],
    # A Firehose stream reads its source, hands each batch to its processor and delivers to its bucket (only
    # resources count as processors: the other processor parameters are settings).
    "aws_kinesis_firehose_delivery_stream": [
        Flow(("kinesis_source_configuration.kinesis_stream_arn",), (SELF,), "read by"),
        Flow((SELF,), ("extended_s3_configuration.processing_configuration",), "transform", externals=False),
        Flow((SELF,), ("extended_s3_configuration.bucket_arn",), "delivers"),
    ],
    "aws_scheduler_schedule": [Flow((SELF,), ("target.arn",), "invokes")],
    # A distribution serves what its origins hold.
    "aws_cloudfront_distribution": [Flow((SELF,), ("origin.domain_name",), "origin")],
    # A Glue table describes the objects under its location; a workgroup writes its results to its bucket.
    "aws_glue_catalog_table": [Flow((SELF,), ("storage_descriptor.location",), "describes", externals=False)],
    "aws_athena_workgroup": [
        Flow((SELF,), ("configuration.result_configuration.output_location",), "results to", externals=False)
    ],
}

_REFERENCE = re.compile(
    r"(?<![\w.])(?:"
    r"data\.[a-z0-9_]+\.[\w-]+"
    r"|(?P<kind>var|local|each)\.(?P<attr>[\w-]+)(?P<rest>(?:\.(?:[a-z][\w-]*|\*))*)"
    r"|module\.(?P<module>[\w-]+)(?:\[[^\]]*\])?(?:\.(?P<output>[\w-]+))?"
    r"|(?P<type>aws_[a-z0-9_]+)\.(?P<name>[\w-]+)"
    r")"
)


_FOR_OVER_MODULE = re.compile(r"for\s+(?P<key>\w+)(?:\s*,\s*(?P<value>\w+))?\s+in\s+module\.(?P<module>[\w-]+)\s*:")


@dataclass(frozen=True)
class Node:
    address: str  # module.a[*].aws_sqs_queue.this, or var.<name> for an input left to the caller
    kind: str  # the resource type, or "input"

    @property
    def label(self) -> str:
        """What the picture writes under the icon: the names that tell this one apart, then what it is."""
        if self.kind == "input":
            return self.address.removeprefix("var.") + "\n(input)"
        word = NODE_KINDS[self.kind][1]
        generic = {"module", "this", self.kind} | {w for _, w in NODE_KINDS.values()}
        names = [p.replace("[*]", " ×N") for p in self.address.split(".") if p.replace("[*]", "") not in generic]
        return " / ".join(names) + "\n" + word if names else word


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[Edge] = field(default_factory=set)

    def text(self, module: str) -> str:
        lines = [
            f"# Architecture of modules/{module}: generated by `make docs` (tooling/architecture.py)",
            "# from the module's resources; architecture.png is drawn from it. Do not edit.",
            "nodes:",
        ]
        lines += [f"  {n.address}  ({n.kind})" for n in sorted(self.nodes.values(), key=lambda n: n.address)]
        lines.append("edges:")
        lines += [
            f"  {e.source} -> {e.target}  [{e.label}]"
            for e in sorted(self.edges, key=lambda e: (e.source, e.target, e.label))
        ]
        return "\n".join(lines) + "\n"


@functools.cache
def _parse(directory: Path) -> dict[str, Any]:
    blocks: dict[str, Any] = {"resource": {}, "module": {}, "locals": {}, "output": {}}
    for path in sorted(directory.glob("*.tf")):
        with path.open() as handle:
            parsed = hcl2.load(handle)
        for entry in parsed.get("resource", []):
            for rtype, named in entry.items():
                for name, body in named.items():
                    blocks["resource"][(rtype.strip('"'), name.strip('"'))] = body
        for kind in ("module", "output"):
            for entry in parsed.get(kind, []):
                for name, body in entry.items():
                    blocks[kind][name.strip('"')] = body
        for entry in parsed.get("locals", []):
            blocks["locals"].update({k: v for k, v in entry.items() if k != "__is_block__"})
    return blocks


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "__is_block__":
                yield key
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _at(body: dict[str, Any], path: str) -> list[Any]:
    """The values at a dotted attribute path; blocks are lists in python-hcl2's output. A `dynamic` block
    counts as the block it generates, and its `for_each` is among the values (`<block>.value` names it)."""
    values: list[Any] = [body]
    generators: dict[str, Any] = {}
    for part in path.split("."):
        found: list[Any] = []
        for value in values:
            for item in value if isinstance(value, list) else [value]:
                if not isinstance(item, dict):
                    continue
                if part in item:
                    found.append(item[part])
                for dynamic in item.get("dynamic", []):
                    generated = dynamic.get(f'"{part}"') or dynamic.get(part)
                    if isinstance(generated, dict):
                        found.extend(generated.get("content", []))
                        generators[part] = generated.get("for_each")
        values = found
    iterated = [
        generator
        for name, generator in generators.items()
        if any(f"{name}.value" in text for value in values for text in _strings(value))
    ]
    return values + iterated


class Scope:
    """One module instance of the tree: its blocks, the arguments its caller gives, its children."""

    def __init__(
        self,
        directory: Path,
        address: str = "",
        parent: Scope | None = None,
        arguments: dict[str, Any] | None = None,
        each: Any = None,
    ) -> None:
        self.directory = directory
        self.address = address
        self.parent = parent
        self.arguments = arguments or {}
        self.each = each  # the for_each of the call that made this instance
        self.blocks = _parse(directory)
        self.children: dict[str, Scope] = {}
        for name, body in self.blocks["module"].items():
            source = body.get("source", "")
            source = source.strip('"') if isinstance(source, str) else ""
            if not source.startswith("."):
                continue  # a registry or git module is outside what a module of this library builds
            repeated = "[*]" if "for_each" in body or "count" in body else ""
            self.children[name] = Scope(
                (directory / source).resolve(), f"{address}module.{name}{repeated}.", self, body, body.get("for_each")
            )

    def scopes(self) -> Iterable[Scope]:
        yield self
        for child in self.children.values():
            yield from child.scopes()


def _field(value: Any, fields: list[str]) -> Any:
    """`x.a.b` of an object written in place: only the field named, not the whole object's references.
    A `*` field is every value of a map (`each.value.uri` of a for_each over a map of objects: each `uri`)."""
    for index, name in enumerate(fields):
        if isinstance(value, str) and (alias := _PURE_REFERENCE.fullmatch(value)):
            # `x = local.settings`: the field of what it names, `local.settings.<field>`
            return "${" + ".".join([alias.group(1), *fields[index:]]) + "}"
        if not isinstance(value, dict):
            break  # an expression, not an object written in place: its references are all there is to follow
        if name == "*":
            return [_field(item, fields[index + 1 :]) for item in value.values()]
        value = value.get(name)  # a field the object leaves out is null
    return value


_PURE_REFERENCE = re.compile(r"\$\{((?:local|var)\.[\w-]+(?:\.(?:[\w-]+|\*))*)\}")


class Resolver:
    def __init__(self) -> None:
        self._busy: set[tuple[int, str]] = set()

    def _output_ends(self, child: Any, output: dict[str, Any], externals: bool) -> set[Any]:
        """What a module output leads to; an output that echoes an input but waits on a resource (a bucket's
        name, known at plan) stands for the resource it waits on."""
        found = self.ends(child, output.get("value"), None, externals)
        if all(getattr(n, "kind", None) == "input" for n in found) and output.get("depends_on"):
            waited = self.ends(child, output["depends_on"][:1], None, externals)
            if waited:
                return waited
        return found

    def ends(self, scope: Scope, value: Any, each: Any, externals: bool) -> set[Node]:
        """The nodes an expression's references end at."""
        found: set[Node] = set()
        for text in _strings(value):
            if "${" not in text:
                continue
            iterated = {}  # `for k, v in module.m : ... v.attr`: only the outputs the loop reads
            for loop in _FOR_OVER_MODULE.finditer(text):
                item = loop.group("value") or loop.group("key")
                iterated[loop.group("module")] = set(re.findall(rf"(?<![\w.]){item}\.([\w-]+)", text))
            for match in _REFERENCE.finditer(text):
                module = match.group("module")
                if module in iterated and not match.group("output"):
                    for output in iterated[module]:
                        reference = _REFERENCE.match(f"module.{module}.{output}")
                        assert reference is not None  # the pattern matches every module.<m>.<output>
                        found |= self._reference(scope, reference, each, externals)
                    continue
                found |= self._reference(scope, match, each, externals)
        return found

    def _reference(self, scope: Scope, match: re.Match[str], each: Any, externals: bool) -> set[Node]:
        key = (id(scope), match.group(0))
        if key in self._busy:
            return set()
        self._busy.add(key)
        try:
            if match.group("type"):
                rtype, name = match.group("type"), match.group("name")
                body = scope.blocks["resource"].get((rtype, name))
                if body is None or rtype not in NODE_KINDS:
                    return set()
                return {node_of(scope, rtype, name, body)}
            if match.group("module"):
                child = scope.children.get(match.group("module"))
                if child is None:
                    return set()
                outputs = child.blocks["output"]
                wanted = [match.group("output")] if match.group("output") else list(outputs)
                return set().union(*(self._output_ends(child, outputs[o], externals) for o in wanted if o in outputs))
            kind, attr = match.group("kind"), match.group("attr")
            fields = [f for f in (match.group("rest") or "").split(".") if f]
            if kind == "local":
                return self.ends(scope, _field(scope.blocks["locals"].get(attr), fields), None, externals)
            if kind == "each":
                if attr == "value" and fields:  # a field of each element, not every element's references
                    return self.ends(scope, _field(each, ["*", *fields]), None, externals)
                return self.ends(scope, each, None, externals)
            if kind == "var":
                if scope.parent is None:
                    return {Node(f"var.{attr}{match.group('rest')}", "input")} if externals else set()
                if attr not in scope.arguments:
                    return set()
                return self.ends(scope.parent, _field(scope.arguments[attr], fields), scope.each, externals)
            return set()  # data sources: documents and lookups, not flows
        finally:
            self._busy.discard(key)


def node_of(scope: Scope, rtype: str, name: str, body: dict[str, Any]) -> Node:
    repeated = "[*]" if "for_each" in body else ""
    return Node(f"{scope.address}{rtype}.{name}{repeated}", rtype)


def _ends(
    resolver: Resolver,
    scope: Scope,
    rtype: str,
    name: str,
    body: dict[str, Any],
    paths: tuple[str, ...],
    externals: bool,
) -> set[Node]:
    """What one side of a flow names: the connector itself, or the nodes its attributes reference."""
    if paths == (SELF,):
        return {node_of(scope, rtype, name, body)}
    each = body.get("for_each")
    return set().union(*(resolver.ends(scope, v, each, externals) for p in paths for v in _at(body, p)))


def derive(module_dir: Path) -> Graph:
    root = Scope(module_dir.resolve())
    resolver = Resolver()
    graph = Graph()
    for scope in root.scopes():
        for (rtype, name), body in scope.blocks["resource"].items():
            if rtype in NODE_KINDS:
                node = node_of(scope, rtype, name, body)
                graph.nodes[node.address] = node
            for flow in FLOWS.get(rtype, []):
                sources = _ends(resolver, scope, rtype, name, body, flow.source, flow.externals)
                targets = _ends(resolver, scope, rtype, name, body, flow.target, flow.externals)
                for source in sources:
                    for target in targets:
                        if source != target:
                            label = (
                                "invokes"
                                if flow.label == "uses" and target.kind == "aws_lambda_function"
                                else flow.label
                            )
                            graph.nodes.setdefault(source.address, source)
                            graph.nodes.setdefault(target.address, target)
                            graph.edges.add(Edge(source.address, target.address, label))
    return graph


def parse_text(text: str) -> Graph:
    """The graph an architecture.txt holds (what the picture is drawn from)."""
    graph = Graph()
    section = ""
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line in ("nodes:", "edges:"):
            section = line
            continue
        if section == "nodes:":
            address, kind = re.fullmatch(r"\s+(\S+)\s+\((\S+)\)", line).groups()  # type: ignore[union-attr]
            graph.nodes[address] = Node(address, kind)
        else:
            source, target, label = re.fullmatch(r"\s+(\S+) -> (\S+)\s+\[(.*)\]", line).groups()  # type: ignore[union-attr]
            graph.edges.add(Edge(source, target, label))
    return graph


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def stamp(png: bytes, digest: str) -> bytes:
    """The PNG with a text chunk naming the digest of the graph it was drawn from (after IHDR)."""
    ihdr_end = 8 + 4 + 4 + 13 + 4
    return png[:ihdr_end] + _chunk(b"tEXt", STAMP_KEY + b"\0" + digest.encode()) + png[ihdr_end:]


def stamp_of(png: bytes) -> str | None:
    offset = 8
    while offset + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[offset : offset + 8])
        data = png[offset + 8 : offset + 8 + length]
        if kind == b"tEXt" and data.startswith(STAMP_KEY + b"\0"):
            return data[len(STAMP_KEY) + 1 :].decode()
        offset += 12 + length
    return None


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


# Bumped when the drawing changes, so every picture is redrawn (it is stamped with the digest of both).
PICTURE_STYLE = "alarms-as-badges-1"


@dataclass
class Picture:
    """What a picture shows of a graph: the data path first. Each alarm is a badge on the resource it
    watches (its name under the icon) instead of a node and two arrows; who alarms notify is one line
    under the title."""

    graph: Graph
    badges: dict[str, list[str]]
    notified: list[str]


def picture_of(graph: Graph) -> Picture:
    alarms = {a for a, node in graph.nodes.items() if node.kind == "aws_cloudwatch_metric_alarm"}
    watched = {e.target: e.source for e in graph.edges if e.label == "watched by" and e.target in alarms}
    badges: dict[str, list[str]] = {}
    for alarm, resource in watched.items():
        badges.setdefault(resource, []).append(alarm.rsplit(".", 1)[-1].replace("_", " "))
    notified = sorted({e.target for e in graph.edges if e.label == "alarm action" and e.source in watched})
    kept_edges = {e for e in graph.edges if e.source not in watched and e.target not in watched}
    still_used = {e.source for e in kept_edges} | {e.target for e in kept_edges}
    kept_nodes = {
        a: n
        for a, n in graph.nodes.items()
        if a not in watched and not (a in notified and n.kind == "input" and a not in still_used)
    }
    return Picture(Graph(kept_nodes, kept_edges), {k: sorted(v) for k, v in badges.items()}, notified)


def picture_digest(text: str) -> str:
    return digest(text + PICTURE_STYLE)


def render(graph: Graph, title: str, png_path: Path, text: str) -> None:
    """Draw the graph with AWS icons (the `diagrams` package; Graphviz's `dot` must be installed)."""
    from diagrams import Diagram
    from diagrams import Edge as Arrow

    def icon(dotted: str) -> Any:
        module, _, name = dotted.rpartition(".")
        return getattr(importlib.import_module(module), name)

    picture = picture_of(graph)
    if picture.notified:
        names = ", ".join(n.removeprefix("var.") for n in picture.notified)
        title = f"{title}\n(alarms notify {names})"
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "architecture"
        attributes = {"fontsize": "20", "pad": "0.4", "nodesep": "0.5", "ranksep": "1.0", "splines": "spline"}
        with Diagram(
            title,
            filename=str(target),
            outformat="png",
            show=False,
            direction="LR",
            graph_attr=attributes,
            node_attr={"fontsize": "12"},
        ):
            drawn = {}
            for node in sorted(picture.graph.nodes.values(), key=lambda n: n.address):
                kind = EXTERNAL_ICON if node.kind == "input" else NODE_KINDS[node.kind][0]
                badge = picture.badges.get(node.address)
                label = node.label + ("\nalarms: " + ", ".join(badge) if badge else "")
                drawn[node.address] = icon(kind)(label)
            for edge in sorted(picture.graph.edges, key=lambda e: (e.source, e.target, e.label)):
                style = (
                    "dashed"
                    if edge.label
                    in ("watched by", "alarm action", "redrive", "dead letters", "on failure", "undeliverable")
                    else "solid"
                )
                drawn[edge.source] >> Arrow(label=edge.label, style=style) >> drawn[edge.target]
        png_path.write_bytes(stamp(target.with_suffix(".png").read_bytes(), picture_digest(text)))


def resource_types(module_dir: Path) -> dict[str, bool]:
    """Every resource type the module deploys (its own and its children's), and whether any is repeated."""
    found: dict[str, bool] = {}
    for scope in Scope(module_dir.resolve()).scopes():
        for (rtype, _), body in scope.blocks["resource"].items():
            repeated = "[*]" in scope.address or "for_each" in body
            found[rtype] = found.get(rtype, False) or repeated
    return found
