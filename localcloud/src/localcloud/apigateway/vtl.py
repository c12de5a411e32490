"""API Gateway mapping templates, rendered by a real Velocity engine (airspeed).

The variables are API Gateway's: ``$input`` (body, json, path, params),
``$util`` (escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode,
base64Decode), ``$context`` and ``$stageVariables``.
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote

import airspeed
from jsonpath_ng.ext import parse as jsonpath_parse


class TemplateError(Exception):
    """A mapping template could not be rendered; API Gateway answers 500."""


@lru_cache(maxsize=1024)
def _compiled_path(path: str) -> Any:
    # jsonpath-ng builds a parser on every parse(): 10-200 ms a call, so compile each path once.
    return jsonpath_parse(path)


def _json_path(document: Any, path: str) -> Any:
    if path in ("$", ""):
        return document
    matches = [m.value for m in _compiled_path(path).find(document)]
    if not matches:
        return None
    return matches[0] if len(matches) == 1 else matches


class VtlInput:
    """``$input``: the request (or integration response) body and the request's parameters."""

    def __init__(self, body: str, params: dict[str, dict[str, str]] | None = None) -> None:
        self.body = body
        self._params = params or {"path": {}, "querystring": {}, "header": {}}

    def _document(self) -> Any:
        if not self.body:
            return {}
        try:
            return json.loads(self.body)
        except json.JSONDecodeError as exc:
            raise TemplateError(f"$input: body is not JSON: {exc.msg}") from None

    def json(self, path: str = "$") -> str:
        return json.dumps(_json_path(self._document(), path))

    def path(self, path: str = "$") -> Any:
        # API Gateway prints nothing for a missing or null value (standard Velocity would
        # print the reference itself): "$input.path('$.missing')" renders as "".
        value = _json_path(self._document(), path)
        return "" if value is None else value

    def params(self, name: str | None = None) -> Any:
        if name is None:
            return self._params
        for location in ("path", "querystring"):
            values = self._params.get(location, {})
            if name in values:
                return values[name]
        # Header names are case-insensitive in HTTP, and so in API Gateway.
        headers = {key.lower(): value for key, value in self._params.get("header", {}).items()}
        return headers.get(name.lower(), "")


class VtlUtil:
    """``$util``, with API Gateway's semantics (including its quirks)."""

    @staticmethod
    def escapeJavaScript(value: Any) -> str:  # noqa: N802 - API Gateway's name
        # JavaScript string rules as Apache Commons' escapeJavaScript applies them: quotes,
        # backslashes, control characters, "/" and non-ASCII escaped; single quotes become \'
        # (which, as in API Gateway, is not valid JSON).
        text = "" if value is None else str(value)
        return json.dumps(text, ensure_ascii=True)[1:-1].replace("/", "\\/").replace("'", "\\'")

    @staticmethod
    def parseJson(value: str) -> Any:  # noqa: N802
        return json.loads(value)

    @staticmethod
    def urlEncode(value: str) -> str:  # noqa: N802
        return quote(str(value), safe="-_.*").replace("%20", "+")

    @staticmethod
    def urlDecode(value: str) -> str:  # noqa: N802
        return unquote(str(value).replace("+", " "))

    @staticmethod
    def base64Encode(value: str) -> str:  # noqa: N802
        return base64.b64encode(str(value).encode()).decode()

    @staticmethod
    def base64Decode(value: str) -> str:  # noqa: N802
        return base64.b64decode(str(value)).decode()


_cache: dict[str, airspeed.Template] = {}


def render(
    template: str,
    *,
    body: str,
    params: dict[str, dict[str, str]],
    context: dict[str, Any],
    stage_variables: dict[str, str],
) -> str:
    compiled = _cache.get(template)
    if compiled is None:
        try:
            compiled = _cache[template] = airspeed.Template(template)
        except airspeed.TemplateSyntaxError as exc:
            raise TemplateError(f"mapping template syntax: {exc}") from None
    namespace = {
        "input": VtlInput(body, params),
        "util": VtlUtil(),
        "context": context,
        "stageVariables": stage_variables,
    }
    try:
        return compiled.merge(namespace)
    except TemplateError:
        raise
    except Exception as exc:  # airspeed raises assorted errors for runtime problems
        raise TemplateError(f"mapping template failed: {exc}") from None
