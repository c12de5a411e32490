"""API Gateway mapping templates rendered by airspeed with API Gateway's variables."""

from __future__ import annotations

import json

import pytest

from localcloud.apigateway.vtl import TemplateError, VtlUtil, render

pytestmark = pytest.mark.unit

PARAMS = {"path": {"id": "7"}, "querystring": {"q": "x y"}, "header": {"X-Trace": "t1"}}
CONTEXT = {"requestId": "r-1", "stage": "test", "identity": {"sourceIp": "127.0.0.1"}}


def run(template: str, body: str = "{}") -> str:
    return render(template, body=body, params=PARAMS, context=CONTEXT, stage_variables={"env": "dev"})


def test_input_json_and_path_read_the_body_by_jsonpath():
    body = json.dumps({"order": {"id": 3, "lines": [{"sku": "a"}, {"sku": "b"}]}})
    assert json.loads(run("$input.json('$.order.lines')", body)) == [{"sku": "a"}, {"sku": "b"}]
    assert run("$input.path('$.order.id')", body) == "3"
    assert run("#foreach($l in $input.path('$.order.lines'))$l.sku#if($foreach.hasNext),#end#end", body) == "a,b"


def test_missing_value_renders_empty_as_in_api_gateway():
    assert run("\"$input.path('$.missing')\"") == '""'
    assert run("$input.json('$.missing')") == "null"


def test_params_context_and_stage_variables():
    assert run("$input.params('id') $input.params('q') $input.params('x-trace')") == "7 x y t1"
    assert run("$context.requestId $context.identity.sourceIp $stageVariables.env") == "r-1 127.0.0.1 dev"


def test_escape_javascript_keeps_json_valid_for_double_quotes_and_escapes_single_quotes_like_aws():
    escaped = VtlUtil.escapeJavaScript('say "hi"\n/path')
    assert json.loads(f'"{escaped}"') == 'say "hi"\n/path'
    assert VtlUtil.escapeJavaScript("it's") == "it\\'s"


def test_url_and_base64_helpers_round_trip():
    assert VtlUtil.urlDecode(VtlUtil.urlEncode("a b&c=d/é")) == "a b&c=d/é"
    assert VtlUtil.urlEncode("a b") == "a+b"
    assert VtlUtil.base64Decode(VtlUtil.base64Encode("héllo")) == "héllo"


def test_body_that_is_not_json_is_a_template_error():
    with pytest.raises(TemplateError, match="not JSON"):
        run("$input.json('$')", "not json")
