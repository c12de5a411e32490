"""`make docs`: every module's generated documentation: its architecture picture and its inputs and outputs.

The inputs and outputs come from the module's .tf files (variables.tf and outputs.tf by habit), between
terraform-docs' markers, in terraform-docs' markdown table format (names
sorted, `n/a` for a required input's default), so a user's terraform-docs can
take over the same README. The architecture (tooling/architecture.py) is
derived from the module's resources: `architecture.txt` (the graph as text),
`architecture.png` (drawn from it with the `diagrams` package and Graphviz,
stamped with the text's digest) and the README's picture block. `--check`
writes nothing and fails naming every file that is out of date, without
needing Graphviz (`make lint` runs it).

Usage: python -m tooling.docs [--check] [--modules DIR ...]
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hcl2

from tooling import architecture, patterns

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- BEGIN_TF_DOCS -->", "<!-- END_TF_DOCS -->"
PICTURE_BEGIN, PICTURE_END = "<!-- BEGIN_ARCHITECTURE -->", "<!-- END_ARCHITECTURE -->"
PROOFS_BEGIN, PROOFS_END = "<!-- BEGIN_FAILURE_MODES -->", "<!-- END_FAILURE_MODES -->"
COST_BEGIN, COST_END = "<!-- BEGIN_COST -->", "<!-- END_COST -->"
TESTS = ROOT / "tests" / "integration"

# What each billable resource type is charged for (AWS's pricing dimensions; prices vary by region and change,
# so none are quoted). Types not listed (roles, policies, permissions, subscriptions, mappings, ...) bill nothing.
BILLING: dict[str, tuple[str, str, str, str]] = {
    # type: (what, per request, per hour or month, per GB)
    "aws_lambda_function": ("Lambda function", "each invocation, and compute in GB-seconds of duration", "-", "-"),
    "aws_sqs_queue": (
        "SQS queue",
        "each API request (each 64 KB of a message counts as one)",
        "-",
        "data transferred out of the region",
    ),
    "aws_sns_topic": (
        "SNS topic",
        "each publish (per 64 KB) and each delivery by protocol",
        "-",
        "data transferred out",
    ),
    "aws_dynamodb_table": (
        "DynamoDB table (on demand)",
        "read and write request units",
        "-",
        "storage per GB-month; point-in-time recovery per GB-month",
    ),
    "aws_s3_bucket": (
        "S3 bucket",
        "PUT/GET/LIST requests",
        "-",
        "storage per GB-month (every kept version counts); data transferred out",
    ),
    "aws_api_gateway_rest_api": (
        "API Gateway REST API",
        "each API call",
        "the cache per hour, when enabled",
        "data transferred out",
    ),
    "aws_apigatewayv2_api": ("API Gateway HTTP API", "each request (per 512 KB)", "-", "data transferred out"),
    "aws_cloudwatch_event_rule": (
        "EventBridge rule",
        "each custom event published to a bus (AWS service events on the default bus are free)",
        "-",
        "-",
    ),
    "aws_sfn_state_machine": (
        "Step Functions state machine",
        "Standard: each state transition; Express: each request",
        "-",
        "Express: memory in GB-seconds of duration",
    ),
    "aws_kms_key": (
        "KMS customer managed key",
        "each API request (encrypt, decrypt, generate data key)",
        "the key per month",
        "-",
    ),
    "aws_cloudwatch_metric_alarm": ("CloudWatch alarm", "-", "each alarm per month", "-"),
    "aws_cloudwatch_log_group": (
        "CloudWatch Logs group",
        "-",
        "-",
        "ingestion and storage per GB (retention bounds the storage)",
    ),
    "aws_kinesis_stream": (
        "Kinesis data stream",
        "PUT payload units",
        "each shard-hour (provisioned)",
        "on demand: data in and out per GB",
    ),
    "aws_kinesis_firehose_delivery_stream": (
        "Firehose delivery stream",
        "-",
        "-",
        "data ingested per GB (each record rounded up to 5 KB), and per GB transformed by Lambda",
    ),
    "aws_glue_catalog_table": (
        "Glue Data Catalog table",
        "catalog requests per million (Athena reads it each query)",
        "objects stored per 100,000 a month (the first million free)",
        "-",
    ),
    "aws_athena_workgroup": ("Athena workgroup", "-", "-", "data scanned per TB (10 MB minimum a query)"),
    "aws_db_instance": ("RDS instance", "-", "the instance per hour", "storage and backups per GB-month"),
    "aws_elasticache_replication_group": ("ElastiCache replication group", "-", "each node per hour", "-"),
    "aws_cloudfront_distribution": (
        "CloudFront distribution",
        "each HTTP/HTTPS request; invalidation paths beyond 1,000 a month",
        "-",
        "data transferred out to viewers and to origins",
    ),
}
# Billing that follows from settings rather than a resource of its own.
TRACING_NOTE = (
    "X-Ray: traces recorded and retrieved (the functions and stages trace; a free tier covers small volumes)."
)
_MERMAID = re.compile(r"```mermaid\n.*?```\n", re.DOTALL)


def _blocks(path: Path, kind: str) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    with path.open() as handle:
        parsed = hcl2.load(handle)
    blocks: dict[str, dict[str, Any]] = {}
    for entry in parsed.get(kind, []):
        for name, body in entry.items():
            blocks[name.strip('"')] = body
    return blocks


def _text(value: Any) -> str:
    """A string attribute as written (python-hcl2 keeps its quotes and escapes)."""
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value) if "\\" in value else value[1:-1]
    return "" if value is None else str(value)


def _expression(value: Any) -> str:
    """A type or default in HCL form."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return value
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "__is_block__"}
        return "{" + ", ".join(f"{k.strip(chr(34))} = {_expression(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_expression(v) for v in value) + "]"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br/>")


def _anchor(kind: str, name: str) -> str:
    escaped = name.replace("_", "\\_")
    return f'<a name="{kind}_{name}"></a> [{name}](#{kind}\\_{escaped})'


def render(module_dir: Path) -> str:
    # Every .tf file, as Terraform reads the folder: a pattern's shared inputs live in linked files.
    variables: dict[str, dict[str, Any]] = {}
    outputs: dict[str, dict[str, Any]] = {}
    for path in sorted(module_dir.glob("*.tf")):
        variables.update(_blocks(path, "variable"))
        outputs.update(_blocks(path, "output"))
    lines = [BEGIN, "## Inputs", ""]
    if variables:
        lines += [
            "| Name | Description | Type | Default | Required |",
            "|------|-------------|------|---------|:--------:|",
        ]
        for name in sorted(variables):
            body = variables[name]
            required = "default" not in body
            default = "n/a" if required else f"`{_cell(_expression(body['default']))}`"
            kind = f"`{_cell(_expression(body.get('type', 'any')))}`"
            lines.append(
                f"| {_anchor('input', name)} | {_cell(_text(body.get('description')))} | {kind} | "
                f"{default} | {'yes' if required else 'no'} |"
            )
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    if outputs:
        lines += ["| Name | Description |", "|------|-------------|"]
        for name in sorted(outputs):
            lines.append(f"| {_anchor('output', name)} | {_cell(_text(outputs[name].get('description')))} |")
    else:
        lines.append("No outputs.")
    lines.append(END)
    return "\n".join(lines) + "\n"


_HEADING = re.compile(r"^## (.+)$", re.MULTILINE)


def updated(readme: str, block: str) -> str:
    """The README with its generated block in place: between the markers, or where the hand-written
    Inputs and Outputs sections were (appended when it had neither)."""
    if BEGIN in readme and END in readme:
        start, end = readme.index(BEGIN), readme.index(END) + len(END)
        return readme[:start] + block.rstrip("\n") + readme[end:]
    headings = list(_HEADING.finditer(readme))
    titled = [m for m in headings if m.group(1).strip() in ("Inputs", "Outputs")]
    if not titled:
        return readme.rstrip("\n") + "\n\n" + block
    start = titled[0].start()
    after = [m for m in headings if m.start() > titled[-1].start()]
    end = after[0].start() if after else len(readme)
    rest = readme[end:]
    return readme[:start] + block + ("\n" + rest if rest else "")


def picture_block(module: str) -> str:
    return (
        f"{PICTURE_BEGIN}\n![Architecture of {module}](architecture.png)\n\n"
        "Generated by `make docs` from the module's resources (text form: "
        f"[architecture.txt](architecture.txt)); a test fails when they differ.\n{PICTURE_END}\n"
    )


def with_picture(readme: str, block: str) -> str:
    """The README with the picture block in place: between its markers, instead of a hand-drawn mermaid
    sketch, or before the first section."""
    if PICTURE_BEGIN in readme and PICTURE_END in readme:
        start, end = readme.index(PICTURE_BEGIN), readme.index(PICTURE_END) + len(PICTURE_END) + 1
        return readme[:start] + block + readme[end:]
    sketch = _MERMAID.search(readme)
    if sketch:
        return readme[: sketch.start()] + block + readme[sketch.end() :]
    heading = _HEADING.search(readme)
    at = heading.start() if heading else len(readme)
    return readme[:at] + block + "\n" + readme[at:]


def _marked_failure_modes(test_file: Path) -> list[str]:
    """The tests of a pattern marked `@pytest.mark.failure_mode`, in file order."""
    tree = ast.parse(test_file.read_text())
    found = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and any(
            ast.unparse(d).split("(")[0] == "pytest.mark.failure_mode" for d in node.decorator_list
        ):
            found.append(node.name)
    return found


def failure_modes_block(module: str, tests: Path = TESTS) -> str | None:
    test_file = tests / f"test_{module.replace('-', '_')}.py"
    if not test_file.exists():
        return None
    names = _marked_failure_modes(test_file)
    link = f"../../tests/integration/{test_file.name}"
    lines = [
        PROOFS_BEGIN,
        "## Failure modes covered",
        "",
        f"Each is an integration test that applies the example to the local cloud and drives it "
        f"([{test_file.name}]({link})); generated by `make docs` from the tests marked `failure_mode`.",
        "",
    ]
    lines += [f"- {name.removeprefix('test_').replace('_', ' ').capitalize()} (`{name}`)" for name in names]
    if not names:
        lines.append("None marked yet.")
    return "\n".join(lines + [PROOFS_END]) + "\n"


def cost_block(module_dir: Path) -> str:
    types = architecture.resource_types(module_dir)
    billed = [t for t in BILLING if t in types]
    lines = [
        COST_BEGIN,
        "## What it costs",
        "",
        "What each billable resource the module deploys is charged for (generated by `make docs` from "
        "the module's resources; see AWS's pricing pages for the prices of a region). Everything else it "
        "creates (roles, policies, permissions, subscriptions, mappings) bills nothing.",
        "",
        "| Resource | Per request | Per hour or month | Per GB |",
        "|---|---|---|---|",
    ]
    for rtype in billed:
        what, request, hour, gigabyte = BILLING[rtype]
        repeated = " (one per entry)" if types[rtype] else ""
        lines.append(f"| {what}{repeated} | {request} | {hour} | {gigabyte} |")
    hourly = [BILLING[t][0] for t in billed if BILLING[t][2] not in ("-", "the cache per hour, when enabled")]
    idle = f"the monthly charges ({', '.join(hourly)}) and the data it keeps" if hourly else "only the data it keeps"
    lines += ["", f"Idle (no traffic), it bills {idle}; every other charge follows use."]
    if "aws_lambda_function" in types or "aws_api_gateway_rest_api" in types:
        lines.append(TRACING_NOTE)
    return "\n".join(lines + [COST_END]) + "\n"


def with_section(readme: str, begin: str, end: str, block: str) -> str:
    """The README with a generated section between its markers, or appended before the inputs."""
    if begin in readme and end in readme:
        start, stop = readme.index(begin), readme.index(end) + len(end) + 1
        return readme[:start] + block + readme[stop:]
    at = readme.index(BEGIN) if BEGIN in readme else len(readme)
    return readme[:at] + block + "\n" + readme[at:]


MODULE_FOLDERS = (ROOT / "modules", ROOT / "patterns")  # the building blocks, and the patterns built on them


def module_dirs(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.iterdir() if (p / "variables.tf").exists())


@dataclass
class Generated:
    """What `make docs` writes for one module."""

    module_dir: Path
    readme: str
    graph_text: str | None  # None: the module deploys nothing a picture shows

    def stale(self) -> list[Path]:
        found = []
        readme = self.module_dir / "README.md"
        if not readme.exists() or readme.read_text() != self.readme:
            found.append(readme)
        text, png = self.module_dir / "architecture.txt", self.module_dir / "architecture.png"
        if self.graph_text is None:
            found += [p for p in (text, png) if p.exists()]  # a module that no longer shows a flow
        else:
            if not text.exists() or text.read_text() != self.graph_text:
                found.append(text)
            if not png.exists() or architecture.stamp_of(png.read_bytes()) != architecture.picture_digest(
                self.graph_text
            ):
                found.append(png)
        return found


def generated(module_dir: Path) -> Generated:
    name = module_dir.name
    readme_path = module_dir / "README.md"
    readme = updated(readme_path.read_text() if readme_path.exists() else f"# {name}\n", render(module_dir))
    graph = architecture.derive(module_dir)
    shows_a_flow = graph.edges and any(n.kind != "input" for n in graph.nodes.values())
    graph_text = graph.text(name) if shows_a_flow else None
    if graph_text is not None:
        readme = with_picture(readme, picture_block(name))
    elif PICTURE_BEGIN in readme:
        readme = with_picture(readme, "")
    proofs = failure_modes_block(name)
    if proofs is not None:  # a pattern (building blocks are proved through the patterns using them)
        readme = with_section(readme, PROOFS_BEGIN, PROOFS_END, proofs)
        readme = with_section(readme, COST_BEGIN, COST_END, cost_block(module_dir))
    return Generated(module_dir, readme, graph_text)


def stale(*folders: Path) -> list[Path]:
    return [path for d in module_dirs(*(folders or MODULE_FOLDERS)) for path in generated(d).stale()]


# -- files other than modules' docs, generated between markers ---------------------------------------------
LOCALCLOUD_README = ROOT / "localcloud" / "README.md"
EXTENSIONS_BEGIN, EXTENSIONS_END = "<!-- BEGIN_EXTENSIONS -->", "<!-- END_EXTENSIONS -->"
ENDPOINTS_BEGIN, ENDPOINTS_END = "<!-- BEGIN_ENDPOINTS -->", "<!-- END_ENDPOINTS -->"


def between(text: str, begin: str, end: str, block: str) -> str:
    """The text with `block` between its markers (both required: they say where generated text goes)."""
    if begin not in text or end not in text:
        raise ValueError(f"markers {begin} ... {end} are missing")
    start, stop = text.index(begin) + len(begin), text.index(end)
    return text[:start] + "\n" + block + text[stop:]


def extensions_table() -> str:
    from localcloud import registry

    rows = [
        "| extension | what it does, as AWS does it | moto 5.2.5 without it | code | tests |",
        "|---|---|---|---|---|",
    ]
    for extension in registry.EXTENSIONS:
        for feature in extension.features:
            code = ", ".join(f"[`{c}`](src/localcloud/{c})" for c in feature.code)
            tests = ", ".join(f"[`{t}`](../tests/{t})" for t in feature.tests)
            rows.append(
                f"| `{extension.service}` | **{_cell(feature.title)}** {_cell(feature.does)} | "
                f"{_cell(feature.moto_without)} | {code} | {tests} |"
            )
    return "\n".join(rows) + "\n"


def endpoints_table() -> str:
    from localcloud import registry

    rows = ["| request | extension | what it does |", "|---|---|---|"]
    for extension in registry.EXTENSIONS:
        for endpoint in extension.endpoints:
            rows.append(f"| `{endpoint.method} {endpoint.path}` | `{extension.service}` | {_cell(endpoint.purpose)} |")
    return "\n".join(rows) + "\n"


LOCALCLOUD_ARCHITECTURE = ROOT / "localcloud" / "ARCHITECTURE.md"
TOUCHES_BEGIN, TOUCHES_END = "<!-- BEGIN_MOTO_TOUCHES -->", "<!-- END_MOTO_TOUCHES -->"
LOCALCLOUD_DOT = ROOT / "localcloud" / "architecture.dot"
LOCALCLOUD_PICTURE = ROOT / "localcloud" / "architecture.png"


def moto_touches_table() -> str:
    from tooling.moto_touches import table

    rows = ["| file | moto internals it replaces |", "|---|---|"]
    for path, touched in table(ROOT / "localcloud" / "src" / "localcloud"):
        rows.append(f"| [`{path}`](src/localcloud/{path}) | {', '.join(f'`{t}`' for t in touched)} |")
    return "\n".join(rows) + "\n"


README = ROOT / "README.md"
CATALOG = ROOT / "docs" / "catalog.md"
COMPOSITION_PATTERNS = ROOT / "environments" / "composition" / "patterns.tf"
PATTERNS_BEGIN, PATTERNS_END = "<!-- BEGIN_PATTERNS -->", "<!-- END_PATTERNS -->"
CATALOG_BEGIN, CATALOG_END = "<!-- BEGIN_CATALOG -->", "<!-- END_CATALOG -->"


def _picture(pattern: str, prefix: str, width: int) -> str:
    png = f"{prefix}patterns/{pattern}/architecture.png"
    return f'<a href="{png}"><img src="{png}" width="{width}" alt="{pattern}"></a>'


def patterns_table() -> str:
    """The README's table of the patterns available now, from their facts."""
    rows = ["| id | module | what it is | picture | try it |", "|---|---|---|---|---|"]
    for p in patterns.available():
        rows.append(
            f"| {p.id} | [{p.name}](patterns/{p.name}/README.md) | {_cell(p.summary)} | {_picture(p.name, '', 160)} | "
            f"[examples/{p.name}](examples/{p.name}/main.tf); `make test PATTERN={p.name}` |"
        )
    return "\n".join(rows) + "\n"


def catalog_sections() -> str:
    """The catalog's groups, each pattern available (from its facts) or planned (docs/planned-patterns.toml)."""
    built = {p.id: p for p in patterns.available()}
    coming = {p.id: p for p in patterns.planned()}
    if set(built) & set(coming):
        raise patterns.FactsError(f"planned and available at once: {sorted(set(built) & set(coming))}")
    lines: list[str] = []
    for letter, title in patterns.GROUPS.items():
        lines += [
            "",
            f"## {letter}. {title}",
            "",
            "| id | pattern | what it is | picture | status |",
            "|---|---|---|---|---|",
        ]
        for id_ in sorted(i for i in (*built, *coming) if (built.get(i) or coming[i]).group == letter):
            if id_ in built:
                p = built[id_]
                lines.append(
                    f"| {p.id} | [{p.name}](../patterns/{p.name}/README.md) | {_cell(p.catalog)} | "
                    f"{_picture(p.name, '../', 200)} | available: [example](../examples/{p.name}/main.tf), "
                    f"try `make test PATTERN={p.name}` |"
                )
            else:
                q = coming[id_]
                lines.append(f"| {q.id} | {q.name} | {_cell(q.catalog)} | - | planned |")
    return "\n".join(lines).lstrip("\n") + "\n"


def composition_patterns() -> str:
    """environments/composition/patterns.tf: the composition's list of patterns, from their facts."""
    found = patterns.available()
    names = ", ".join(f'"{p.name}"' for p in found)
    rest = ", ".join(f'"{p.name}"' for p in found if p.rest_api)
    with_functions = ", ".join(f'"{p.name}"' for p in found if p.functions)
    width = max(len(p.name) for p in found)
    outputs = "\n".join(f"    {p.name.ljust(width)} = one(module.{p.module})" for p in found)
    return f"""# Generated by `make docs` from patterns/*/pattern.toml: the patterns this composition knows. Each has its
# module block in main.tf (a unit test checks the two agree); edit the facts, not this file.
locals {{
  # Every pattern, by module name, in catalog order.
  patterns = [{names}]

  # Patterns that serve a REST API: API Gateway logs to CloudWatch through one role per account and region.
  rest_api_patterns = [{rest}]

  # Patterns that deploy Lambda functions: their code goes through the environment's code bucket.
  function_patterns = [{with_functions}]

  # Each pattern's module, when deployed (null otherwise).
  pattern_modules = {{
{outputs}
  }}
}}
"""


def other_files() -> dict[Path, str]:
    """Generated sections outside the modules: path -> the file as it should read."""
    readme = LOCALCLOUD_README.read_text()
    readme = between(readme, EXTENSIONS_BEGIN, EXTENSIONS_END, extensions_table())
    readme = between(readme, ENDPOINTS_BEGIN, ENDPOINTS_END, endpoints_table())
    guide = between(LOCALCLOUD_ARCHITECTURE.read_text(), TOUCHES_BEGIN, TOUCHES_END, moto_touches_table())
    return {
        LOCALCLOUD_README: readme,
        LOCALCLOUD_ARCHITECTURE: guide,
        README: between(README.read_text(), PATTERNS_BEGIN, PATTERNS_END, patterns_table()),
        CATALOG: between(CATALOG.read_text(), CATALOG_BEGIN, CATALOG_END, catalog_sections()),
        COMPOSITION_PATTERNS: composition_patterns(),
    }


def localcloud_picture_stale() -> bool:
    if not LOCALCLOUD_PICTURE.exists():
        return True
    return architecture.stamp_of(LOCALCLOUD_PICTURE.read_bytes()) != architecture.digest(LOCALCLOUD_DOT.read_text())


def draw_localcloud_picture() -> None:
    import subprocess

    source = LOCALCLOUD_DOT.read_text()
    png = subprocess.run(["dot", "-Tpng", "-Gdpi=100"], input=source.encode(), capture_output=True, check=True).stdout
    LOCALCLOUD_PICTURE.write_bytes(architecture.stamp(png, architecture.digest(source)))


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; fail if anything generated is stale")
    parser.add_argument(
        "--modules", type=Path, action="append", help="a folder of modules (repeatable; default modules/ and patterns/)"
    )
    args = parser.parse_args(argv)
    wrote = 0
    for module_dir in module_dirs(*(args.modules or MODULE_FOLDERS)):
        docs = generated(module_dir)
        out_of_date = docs.stale()
        if args.check:
            for path in out_of_date:
                print(f"stale: {_shown(path)} (run `make docs`)", file=sys.stderr)
            wrote += len(out_of_date)
            continue
        for path in out_of_date:
            if path.name != "README.md" and docs.graph_text is None:
                path.unlink()
                print(f"removed {_shown(path)}")
                wrote += 1
                continue
            if path.name == "README.md":
                path.write_text(docs.readme)
            elif path.suffix == ".txt":
                path.write_text(docs.graph_text or "")
            else:
                if shutil.which("dot") is None:
                    print(
                        "Graphviz's `dot` is missing: `make docs` installs it (Debian package graphviz)",
                        file=sys.stderr,
                    )
                    return 2
                graph = architecture.parse_text(docs.graph_text or "")
                architecture.render(graph, module_dir.name, path, docs.graph_text or "")
            print(f"wrote {_shown(path)}")
            wrote += 1
    if not args.modules:  # the whole repository: the generated files beyond the modules too
        if localcloud_picture_stale():
            if args.check:
                print(f"stale: {_shown(LOCALCLOUD_PICTURE)} (run `make docs`)", file=sys.stderr)
            elif shutil.which("dot") is None:
                print("Graphviz's `dot` is missing: `make docs` installs it (Debian package graphviz)", file=sys.stderr)
                return 2
            else:
                draw_localcloud_picture()
                print(f"wrote {_shown(LOCALCLOUD_PICTURE)}")
            wrote += 1
        for path, text in other_files().items():
            if path.exists() and path.read_text() == text:
                continue
            if args.check:
                print(f"stale: {_shown(path)} (run `make docs`)", file=sys.stderr)
            else:
                path.write_text(text)
                print(f"wrote {_shown(path)}")
            wrote += 1
    if args.check:
        return 1 if wrote else 0
    if not wrote:
        print("every module's generated docs are up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
