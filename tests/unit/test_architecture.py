"""Each module's picture is derived from its resources: a changed module leaves its picture stale until `make docs`."""

from __future__ import annotations

import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from tooling import architecture, docs

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
PATTERNS = sorted(p.name for p in (ROOT / "examples").iterdir() if (p / "main.tf").exists())


@dataclass
class Tree:
    """A copy of the building blocks and the patterns (they call each other by relative path)."""

    modules: Path
    patterns: Path

    def stale(self) -> list[Path]:
        return docs.stale(self.modules, self.patterns)


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    for folder in ("modules", "patterns"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return Tree(tmp_path / "modules", tmp_path / "patterns")


@pytest.mark.parametrize("pattern", PATTERNS)
def test_every_pattern_has_a_picture_drawn_from_the_graph_its_resources_give(pattern):
    module = ROOT / "patterns" / pattern
    text = (module / "architecture.txt").read_text()
    assert text == architecture.derive(module).text(pattern)
    assert architecture.stamp_of((module / "architecture.png").read_bytes()) == architecture.picture_digest(text)
    assert "![Architecture of" in (module / "README.md").read_text()


def test_a_queue_subscribed_to_the_topic_in_a_module_appears_with_its_subscription(tree):
    main = tree.patterns / "notifier" / "main.tf"
    main.write_text(
        main.read_text()
        + """
resource "aws_sqs_queue" "audit_copy" {
  name = "${var.name}-audit-copy"
}

resource "aws_sns_topic_subscription" "audit_copy" {
  topic_arn = aws_sns_topic.this.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.audit_copy.arn
}
"""
    )
    assert tree.patterns / "notifier" / "architecture.txt" in tree.stale()
    graph = architecture.derive(tree.patterns / "notifier")
    assert architecture.Edge("aws_sns_topic.this", "aws_sqs_queue.audit_copy", "subscription") in graph.edges


def test_a_removed_dead_letter_queue_leaves_the_picture_stale(tree):
    main = tree.modules / "dead-letter-queue" / "main.tf"
    text = main.read_text()
    start = text.index('resource "aws_cloudwatch_metric_alarm" "not_empty"')
    main.write_text(text[:start] + text[text.index("\n}\n", start) + 3 :])
    stale = tree.stale()
    assert tree.modules / "dead-letter-queue" / "architecture.txt" in stale
    assert tree.modules / "queue" / "architecture.txt" in stale, "a module calling the changed one is stale too"
    assert tree.patterns / "fifoer" / "architecture.txt" in stale, "so is a pattern calling it"
    assert "aws_cloudwatch_metric_alarm" not in architecture.derive(tree.modules / "dead-letter-queue").text("x")


def test_a_reference_is_followed_through_variables_locals_outputs_and_for_each(tmp_path):
    (tmp_path / "child").mkdir()
    (tmp_path / "child" / "main.tf").write_text("""
variable "queue_arn" { type = string }
variable "targets" { type = map(string) }
locals { source = var.queue_arn }
resource "aws_lambda_function" "this" {
  function_name = "f"
  environment {
    variables = var.targets
  }
}
resource "aws_lambda_event_source_mapping" "this" {
  event_source_arn = local.source
  function_name    = aws_lambda_function.this.arn
}
output "function_arn" { value = aws_lambda_function.this.arn }
""")
    (tmp_path / "main.tf").write_text("""
variable "alarm_topic" { type = string }
resource "aws_sqs_queue" "jobs" {
  for_each = toset(["a", "b"])
  name     = each.key
}
resource "aws_dynamodb_table" "results" { name = "r" }
module "worker" {
  source    = "./child"
  for_each  = aws_sqs_queue.jobs
  queue_arn = each.value.arn
  targets   = { TABLE = aws_dynamodb_table.results.name }
}
resource "aws_sns_topic" "done" { name = "d" }
resource "aws_sns_topic_subscription" "worker" {
  topic_arn = aws_sns_topic.done.arn
  protocol  = "lambda"
  endpoint  = module.worker["a"].function_arn
}
resource "aws_cloudwatch_metric_alarm" "depth" {
  dimensions    = { QueueName = aws_sqs_queue.jobs["a"].name }
  alarm_actions = [var.alarm_topic]
}
""")
    graph = architecture.derive(tmp_path)
    function = "module.worker[*].aws_lambda_function.this"
    assert graph.edges == {
        architecture.Edge("aws_sqs_queue.jobs[*]", function, "polled by"),
        architecture.Edge(function, "aws_dynamodb_table.results", "uses"),
        architecture.Edge("aws_sns_topic.done", function, "subscription"),
        architecture.Edge("aws_sqs_queue.jobs[*]", "aws_cloudwatch_metric_alarm.depth", "watched by"),
        architecture.Edge("aws_cloudwatch_metric_alarm.depth", "var.alarm_topic", "alarm action"),
    }
    assert graph.nodes[function].label == "worker ×N\nfunction"
    assert architecture.parse_text(graph.text("t")).edges == graph.edges


def _blank_png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    chunk = architecture._chunk
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b"")


def test_a_picture_drawn_from_another_graph_is_stale(tree):
    module = tree.patterns / "fifoer"
    (module / "architecture.png").write_bytes(architecture.stamp(_blank_png(), "0" * 64))
    assert tree.stale() == [module / "architecture.png"]
    (module / "architecture.png").write_bytes(
        architecture.stamp(_blank_png(), architecture.picture_digest((module / "architecture.txt").read_text()))
    )
    assert tree.stale() == []


def test_a_dynamic_block_and_a_field_of_an_object_argument_lead_only_where_they_point(tmp_path):
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "main.tf").write_text("""
variable "async" { type = any }
resource "aws_lambda_function" "this" { function_name = "f" }
resource "aws_lambda_function_event_invoke_config" "this" {
  function_name = aws_lambda_function.this.function_name
  destination_config {
    dynamic "on_success" {
      for_each = var.async.on_success == null ? [] : [var.async.on_success]
      content {
        destination = on_success.value
      }
    }
    dynamic "on_failure" {
      for_each = var.async.on_failure == null ? [] : [var.async.on_failure]
      content {
        destination = on_failure.value
      }
    }
  }
}
""")
    (tmp_path / "main.tf").write_text("""
resource "aws_sqs_queue" "failed" { name = "failed" }
resource "aws_sns_topic" "done" { name = "done" }
module "worker" {
  source = "./fn"
  async  = { on_failure = aws_sqs_queue.failed.arn, on_success = aws_sns_topic.done.arn, retries = 1 }
}
module "quiet" {
  source = "./fn"
  async  = { retries = 0 }
}
""")
    function = "module.worker.aws_lambda_function.this"
    assert architecture.derive(tmp_path).edges == {
        architecture.Edge(function, "aws_sqs_queue.failed", "on failure"),
        architecture.Edge(function, "aws_sns_topic.done", "on success"),
    }


def test_a_for_expression_over_a_module_reads_only_the_outputs_it_names(tmp_path):
    (tmp_path / "fn").mkdir()
    (tmp_path / "fn" / "main.tf").write_text("""
resource "aws_lambda_function" "this" { function_name = "f" }
resource "aws_cloudwatch_metric_alarm" "errors" { dimensions = { FunctionName = aws_lambda_function.this.function_name } }
output "function_name" { value = aws_lambda_function.this.function_name }
output "alarm_name" { value = aws_cloudwatch_metric_alarm.errors.alarm_name }
""")
    (tmp_path / "main.tf").write_text("""
module "task" {
  source   = "./fn"
  for_each = toset(["a", "b"])
}
resource "aws_lambda_function" "router" {
  function_name = "router"
  environment {
    variables = { ROUTES = jsonencode({ for type, task in module.task : type => task.function_name }) }
  }
}
""")
    uses = {e for e in architecture.derive(tmp_path).edges if e.source == "aws_lambda_function.router"}
    assert uses == {
        architecture.Edge("aws_lambda_function.router", "module.task[*].aws_lambda_function.this", "invokes")
    }


def test_an_api_shows_who_authorizes_its_requests(tmp_path):
    (tmp_path / "main.tf").write_text("""
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_lambda_function" "check" {
  function_name = "check"
}

resource "aws_cognito_user_pool" "users" {
  name = "users"
}

resource "aws_api_gateway_authorizer" "keys" {
  rest_api_id    = aws_api_gateway_rest_api.api.id
  authorizer_uri = aws_lambda_function.check.invoke_arn
}

resource "aws_api_gateway_authorizer" "pool" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  provider_arns = [aws_cognito_user_pool.users.arn]
}
""")
    edges = {(e.source, e.target, e.label) for e in architecture.derive(tmp_path).edges}
    assert edges == {
        ("aws_api_gateway_rest_api.api", "aws_lambda_function.check", "authorized by"),
        ("aws_api_gateway_rest_api.api", "aws_cognito_user_pool.users", "authorized by"),
    }


def test_a_delivery_stream_reads_its_source_transforms_and_delivers_to_its_bucket(tmp_path):
    (tmp_path / "main.tf").write_text("""
variable "retries" {
  type = number
}

resource "aws_kinesis_stream" "in" {
  name = "in"
}

resource "aws_lambda_function" "clean" {
  function_name = "clean"
}

resource "aws_s3_bucket" "out" {
  bucket = "out"
}

resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = "archive"
  destination = "extended_s3"
  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.in.arn
  }
  extended_s3_configuration {
    bucket_arn = aws_s3_bucket.out.arn
    processing_configuration {
      processors {
        parameters {
          parameter_value = aws_lambda_function.clean.arn
        }
        parameters {
          parameter_value = tostring(var.retries)
        }
      }
    }
  }
}
""")
    edges = {(e.source, e.target, e.label) for e in architecture.derive(tmp_path).edges}
    firehose = "aws_kinesis_firehose_delivery_stream.archive"
    assert edges == {
        ("aws_kinesis_stream.in", firehose, "read by"),
        (firehose, "aws_lambda_function.clean", "transform"),
        (firehose, "aws_s3_bucket.out", "delivers"),
    }


def test_a_table_describes_the_bucket_whose_name_a_module_gives_and_a_workgroup_writes_results_to_its_own(tmp_path):
    # modules/bucket's bucket_name echoes its input (known at plan) but waits on the bucket: it stands for it
    (tmp_path / "bucket").mkdir()
    (tmp_path / "bucket" / "main.tf").write_text("""
variable "name" {
  type = string
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

output "bucket_name" {
  value      = var.name
  depends_on = [aws_s3_bucket.this]
}
""")
    (tmp_path / "main.tf").write_text("""
module "archive" {
  source = "./bucket"
  name   = "archive"
}

module "results" {
  source = "./bucket"
  name   = "results"
}

resource "aws_glue_catalog_table" "readings" {
  name = "readings"
  storage_descriptor {
    location = "s3://${module.archive.bucket_name}/readings/"
  }
}

resource "aws_athena_workgroup" "analytics" {
  name = "analytics"
  configuration {
    result_configuration {
      output_location = "s3://${module.results.bucket_name}/"
    }
  }
}
""")
    edges = {(e.source, e.target, e.label) for e in architecture.derive(tmp_path).edges}
    assert edges == {
        ("aws_glue_catalog_table.readings", "module.archive.aws_s3_bucket.this", "describes"),
        ("aws_athena_workgroup.analytics", "module.results.aws_s3_bucket.this", "results to"),
    }


def test_a_picture_shows_each_alarm_as_a_badge_on_what_it_watches_and_who_it_notifies_once():
    text = """nodes:
  module.consumer.aws_lambda_function.this  (aws_lambda_function)
  module.consumer.aws_cloudwatch_metric_alarm.errors  (aws_cloudwatch_metric_alarm)
  module.consumer.aws_cloudwatch_metric_alarm.throttles  (aws_cloudwatch_metric_alarm)
  aws_sqs_queue.jobs  (aws_sqs_queue)
  aws_cloudwatch_metric_alarm.account_wide  (aws_cloudwatch_metric_alarm)
  var.alarms.actions  (input)
edges:
  aws_sqs_queue.jobs -> module.consumer.aws_lambda_function.this  [polled by]
  module.consumer.aws_lambda_function.this -> module.consumer.aws_cloudwatch_metric_alarm.errors  [watched by]
  module.consumer.aws_lambda_function.this -> module.consumer.aws_cloudwatch_metric_alarm.throttles  [watched by]
  module.consumer.aws_cloudwatch_metric_alarm.errors -> var.alarms.actions  [alarm action]
  module.consumer.aws_cloudwatch_metric_alarm.throttles -> var.alarms.actions  [alarm action]
  aws_cloudwatch_metric_alarm.account_wide -> var.alarms.actions  [alarm action]
"""
    picture = architecture.picture_of(architecture.parse_text(text))
    assert picture.badges == {"module.consumer.aws_lambda_function.this": ["errors", "throttles"]}
    assert picture.notified == ["var.alarms.actions"]
    assert set(picture.graph.nodes) == {
        "module.consumer.aws_lambda_function.this",
        "aws_sqs_queue.jobs",
        "aws_cloudwatch_metric_alarm.account_wide",  # it watches nothing drawn: it stays, with its arrow
        "var.alarms.actions",
    }
    assert {(e.source, e.label) for e in picture.graph.edges} == {
        ("aws_sqs_queue.jobs", "polled by"),
        ("aws_cloudwatch_metric_alarm.account_wide", "alarm action"),
    }
