"""EMF log lines read as CloudWatch Logs reads them."""

from __future__ import annotations

import json

import pytest

from localcloud.core.metrics import emf_metrics

pytestmark = pytest.mark.unit


def line(**fields) -> str:
    return json.dumps(
        {
            "_aws": {
                "Timestamp": 1_700_000_000_000,
                "CloudWatchMetrics": [
                    {
                        "Namespace": "Acme",
                        "Dimensions": [["service"], ["service", "kind"]],
                        "Metrics": [{"Name": "Done", "Unit": "Count"}],
                    }
                ],
            },
            **fields,
        }
    )


def test_each_dimension_set_gets_each_value():
    found = emf_metrics(line(service="s", kind="k", Done=[1, 2]))
    assert [(ns, d["Value"], [x["Name"] for x in d["Dimensions"]]) for ns, d in found] == [
        ("Acme", 1, ["service"]),
        ("Acme", 2, ["service"]),
        ("Acme", 1, ["service", "kind"]),
        ("Acme", 2, ["service", "kind"]),
    ]


def test_a_dimension_without_a_string_value_drops_that_set_only():
    found = emf_metrics(line(service="s", kind=7, Done=1))
    assert [[x["Name"] for x in d["Dimensions"]] for _, d in found] == [["service"]]


@pytest.mark.parametrize(
    "text", ["plain text", '{"message": "json but no _aws"}', '{"_aws": {"broken": 1}}', line(service="s", Done="one")]
)
def test_other_lines_declare_no_metric(text):
    assert emf_metrics(text) == []
