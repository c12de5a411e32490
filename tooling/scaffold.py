"""`make pattern NAME=...`: a new pattern's folders, passing lint, with tests that fail until its proof is written.

Writes the pattern's own folders (patterns/<name>: module, pattern.toml, smoke.py, README; lambdas/<name>: a
package laid out handler/logic/store/settings; examples/<name>; tests/unit/<name>; tests/integration),
adds its one module block to environments/composition/main.tf, and moves it out of
docs/planned-patterns.toml when the catalog plans it (its id, group and idea come from there). What it
deploys is one function: replace it with the pattern, then write the catalog's proof and failure proof in
the integration test (two tests fail until then) and run `make docs`.

Usage: python -m tooling.scaffold NAME [--id P25 --group D --catalog "..."] [--root DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

from tooling import patterns

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


class ScaffoldError(ValueError):
    """The pattern cannot be scaffolded as asked; the message says why and what to do."""


VERSIONS_TF = """terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}
"""

# Inputs every pattern with functions declares the same way, linked from patterns/ into the new folder.
SHARED_VARIABLES = ("variables-common.tf", "variables-functions.tf")

VARIABLES_TF = """variable "name" {
  description = "Prefix for every resource of this pattern (for example acme-prod-@name@)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9-]{1,40}$", var.name))
    error_message = "name must be 2-41 lowercase letters, digits or hyphens, starting with a letter or digit."
  }
}
"""

MAIN_TF = """# @id@ @name@: @catalog@.
# The scaffold deploys one function; build the pattern here on the blocks of ../../modules.

module "handler" {
  source = "../../modules/lambda-function"

  name               = "${var.name}-handler"
  description        = "${var.name}'s handler"
  package_path       = var.package_path
  handler            = "@package@.handler.handler"
  log_retention_days = var.log_retention_days
  kms_key_arn        = var.kms_key_arn
  alarms             = var.alarms
  tags               = var.tags
}
"""

OUTPUTS_TF = """output "function_name" {
  description = "The handler function."
  value       = module.handler.function_name
}

output "function_arn" {
  description = "ARN of the handler function."
  value       = module.handler.function_arn
}

output "role_name" {
  description = "The handler's role."
  value       = module.handler.role_name
}
"""

README_MD = """# @name@

@catalog@ (@id@; the catalog's specification: `../shared/PATTERNS.md`).

## What it solves, and when not to use it

## How it works

## Usage

```hcl
module "@module@" {
  source = "../../patterns/@name@"

  name         = "acme-prod-@name@"
  package_path = "../../build/lambdas/@name@.zip" # make build
}
```

## Guarantees and failure modes

## Security notes
"""

PATTERN_TOML = """# @id@ @name@: who this pattern is. `make docs` writes the README's and the catalog's rows and the
# composition's list from these facts; `make up` smokes it (smoke.py); the plan tests expect what it deploys.
id = "@id@"
group = "@group@"
summary = @catalog_toml@
catalog = @catalog_toml@
package = "@package@"

[deploys]
functions = 1
kept_tables = 0
"""

SMOKE_PY = '''"""`make up`'s smoke requests for @id@ @name@: what it is asked, and the answer the pattern promises."""

from __future__ import annotations

import json
import time
from typing import Any

from localcloud.control import LocalCloud
from tooling.smoke import Check


def smoke(service: dict[str, Any], cloud: LocalCloud) -> list[Check]:
    started = time.perf_counter()
    answer = cloud.client("lambda").invoke(FunctionName=service["function_name"], Payload=json.dumps({"name": "smoke"}))
    body = answer["Payload"].read().decode()
    return [
        Check("invoke {name: smoke}", body[:60], answer.get("FunctionError") is None, time.perf_counter() - started)
    ]
'''

REQUIREMENTS_TXT = """# Vendored into the zip by `make build` (boto3 comes with the Lambda runtime).
aws-lambda-powertools[tracer]==3.37.0
"""

INIT_PY = '"""@id@ @name@: @catalog@."""\n'

HANDLER_PY = '''"""The handler: reads the event, calls the logic, answers. Nothing else belongs here."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from @package@ import logic

logger = Logger()
tracer = Tracer()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return logic.greeting(logic.parse(event))
'''

LOGIC_PY = '''"""The pattern's decisions as plain typed functions: no AWS calls (those are in store.py)."""

from __future__ import annotations

from typing import Any


class InvalidRequest(ValueError):
    """The event cannot be acted on as sent; the message says why."""


def parse(event: Any) -> str:
    name = event.get("name") if isinstance(event, dict) else None
    if not isinstance(name, str) or not name.strip():
        raise InvalidRequest("name is required")
    return name.strip()


def greeting(name: str) -> dict[str, Any]:
    return {"message": f"hello, {name}"}
'''

STORE_PY = '''"""The AWS calls the pattern makes, with clients made once per cold start (the only module using boto3)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import boto3


@lru_cache(maxsize=1)
def dynamodb() -> Any:
    return boto3.client("dynamodb")
'''

SETTINGS_PY = '''"""Configuration read once per cold start from the function's environment; a missing one is a clear error."""

from __future__ import annotations

from functools import lru_cache

from pattern_helpers.settings import required


@lru_cache(maxsize=1)
def service() -> str:
    return required("POWERTOOLS_SERVICE_NAME")
'''

EXAMPLE_TF = """# Example: @id@ @name@ with its defaults.
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60"
    }
  }
}

provider "aws" {}

variable "name" {
  type        = string
  description = "Prefix of every resource (the tests pass a unique one)."
  default     = "example-@name@"
}

variable "package_path" {
  type        = string
  description = "The built @name@ zip."
  default     = "../../build/lambdas/@name@.zip"
}

module "@module@" {
  source = "../../patterns/@name@"

  name               = var.name
  package_path       = var.package_path
  log_retention_days = 1
  tags               = { stack = var.name }
}

output "@module@" {
  value = module.@module@
}
"""

UNIT_TEST_PY = '''"""@id@ @name@: its logic, as plain functions."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.unit


def test_a_name_is_greeted():
    from @package@ import logic

    assert logic.greeting(logic.parse({"name": " ada "})) == {"message": "hello, ada"}


@pytest.mark.parametrize("event", [{}, {"name": " "}, "not an object"])
def test_an_event_without_a_name_is_refused(event):
    from @package@ import logic

    with pytest.raises(logic.InvalidRequest, match="name is required"):
        logic.parse(event)
'''

INTEGRATION_TEST_PY = '''"""@id@ @name@: applied to the local cloud and driven end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from harness import Stack, applied_stack, package_zip

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(local_cloud, tmp_path_factory) -> Iterator[Stack]:
    with applied_stack(
        "@name@",
        local_cloud,
        tmp_path_factory.mktemp("@code@"),
        code="@code@",
        variables={"package_path": str(package_zip("@name@"))},
    ) as applied:
        yield applied


def test_the_handler_answers(stack):
    function_name = stack.outputs["@module@"]["function_name"]
    answer = stack.client("lambda").invoke(FunctionName=function_name, Payload=json.dumps({"name": "ada"}))
    assert answer.get("FunctionError") is None and json.loads(answer["Payload"].read()) == {"message": "hello, ada"}


def test_the_catalogs_proof_is_written():
    pytest.fail("write @id@'s proof from ../shared/PATTERNS.md: drive the pattern and assert its effect")


@pytest.mark.failure_mode
def test_the_catalogs_failure_proof_is_written():
    pytest.fail("write @id@'s failure proof from ../shared/PATTERNS.md: make it fail as AWS would, assert what it does")


def test_second_plan_shows_no_changes(stack):
    changes = stack.second_plan_changes()
    assert changes is None, changes
'''

COMPOSITION_BLOCK = """
module "@module@" {
  source = "../../patterns/@name@"
  count  = local.enabled["@name@"] ? 1 : 0

  name               = "${local.prefix}-@name@"
  package_path       = "${local.lambda_build_dir}/@name@.zip"
  kms_key_arn        = local.kms_key_arn
  log_retention_days = var.settings.log_retention_days
  alarms             = local.alarms
}
"""


def _planned_entry(root: Path, name: str) -> dict[str, str] | None:
    path = root / "docs" / "planned-patterns.toml"
    if not path.exists():
        return None
    for entry in tomllib.loads(path.read_text()).get("pattern", []):
        if entry.get("name") == name:
            return {key: str(value) for key, value in entry.items()}
    return None


def _unplan(root: Path, name: str) -> None:
    """Take the pattern's entry out of docs/planned-patterns.toml: from now on its folder says who it is."""
    path = root / "docs" / "planned-patterns.toml"
    head, *entries = path.read_text().split("[[pattern]]\n")
    kept = [entry for entry in entries if f'name = "{name}"\n' not in entry]
    path.write_text(head + "".join("[[pattern]]\n" + entry for entry in kept))


def fill(template: str, values: dict[str, str]) -> str:
    """The template with each @key@ of values replaced (braces are the template's own: HCL, Python)."""
    return re.sub(r"@(\w+)@", lambda m: values.get(m.group(1), m.group(0)), template)


def files(name: str, id_: str, group: str, catalog: str, package: str) -> dict[str, str]:
    """Every file of the new pattern, relative to the repository root."""
    module = name.replace("-", "_")
    values = {
        "name": name,
        "id": id_,
        "group": group,
        "catalog": catalog.rstrip("."),
        "package": package,
        "module": module,
        "code": id_.lower(),
        "catalog_toml": json.dumps(catalog.rstrip(".")),
    }
    return {
        f"patterns/{name}/versions.tf": VERSIONS_TF,
        f"patterns/{name}/variables.tf": fill(VARIABLES_TF, values),
        f"patterns/{name}/main.tf": fill(MAIN_TF, values),
        f"patterns/{name}/outputs.tf": OUTPUTS_TF,
        f"patterns/{name}/README.md": fill(README_MD, values),
        f"patterns/{name}/pattern.toml": fill(PATTERN_TOML, values),
        f"patterns/{name}/smoke.py": fill(SMOKE_PY, values),
        f"lambdas/{name}/requirements.txt": REQUIREMENTS_TXT,
        f"lambdas/{name}/{package}/__init__.py": fill(INIT_PY, values),
        f"lambdas/{name}/{package}/handler.py": fill(HANDLER_PY, values),
        f"lambdas/{name}/{package}/logic.py": fill(LOGIC_PY, values),
        f"lambdas/{name}/{package}/store.py": STORE_PY,
        f"lambdas/{name}/{package}/settings.py": SETTINGS_PY,
        f"examples/{name}/main.tf": fill(EXAMPLE_TF, values),
        f"tests/unit/{name}/test_{package}_logic.py": fill(UNIT_TEST_PY, values),
        f"tests/integration/test_{module}.py": fill(INTEGRATION_TEST_PY, values),
    }


def scaffold(
    name: str, root: Path = ROOT, id_: str | None = None, group: str | None = None, catalog: str | None = None
) -> list[Path]:
    if not NAME.match(name):
        raise ScaffoldError(f"NAME must be lowercase words joined by hyphens (stream-analytics), not {name!r}")
    planned = _planned_entry(root, name)
    id_ = id_ or (planned or {}).get("id")
    group = group or (planned or {}).get("group")
    catalog = catalog or (planned or {}).get("catalog")
    if not (id_ and group and catalog):
        raise ScaffoldError(
            f"{name} is not in docs/planned-patterns.toml: give its id, group and idea "
            f'(make pattern NAME={name} ID=P34 GROUP=B CATALOG="...")'
        )
    taken = {p.id: p.name for p in patterns.available(root / "patterns")}
    if id_ in taken:
        raise ScaffoldError(f"{id_} is {taken[id_]}'s id already")
    package = name.replace("-", "_")
    written = files(name, id_, group, catalog, package)
    clashes = [path for path in written if (root / path).exists()]
    clashes += [str(p) for p in (root / "lambdas").glob(f"*/{package}/__init__.py")]
    if clashes:
        raise ScaffoldError(f"{name} would overwrite what exists: {', '.join(sorted(clashes))}")
    for relative, text in written.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for shared in SHARED_VARIABLES:
        # A link, not a copy: the library's one interface for alarms, tags, keys and logs cannot drift.
        (root / "patterns" / name / shared).symlink_to(Path("..") / shared)
    composition = root / "environments" / "composition" / "main.tf"
    composition.write_text(
        composition.read_text() + fill(COMPOSITION_BLOCK, {"name": name, "module": name.replace("-", "_")})
    )
    if planned:
        _unplan(root, name)
    links = [root / "patterns" / name / shared for shared in SHARED_VARIABLES]
    return [root / relative for relative in written] + links + [composition]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("--id", help="its catalog id (P34); default: from docs/planned-patterns.toml")
    parser.add_argument("--group", choices=list(patterns.GROUPS), help="its catalog group")
    parser.add_argument("--catalog", help="the idea, in a phrase (the catalog's 'what it is')")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.name, args.root, args.id, args.group, args.catalog)
    except (ScaffoldError, patterns.FactsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    print(
        f"\nNext: `make docs` (its README's generated parts and picture), `make test PATTERN={args.name}` (two "
        "tests fail until you write the catalog's proof and failure proof), then build the pattern in "
        f"patterns/{args.name}/main.tf. CONTRIBUTING.md walks through it."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
