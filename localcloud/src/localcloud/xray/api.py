"""X-Ray's API over the segments the local cloud received: traces, summaries, the service graph, groups
and sampling rules (moto answers the first three with what it stored as sent, an empty graph, and has no
groups or sampling rules at all)."""

from __future__ import annotations

import json
import os
import string
import time
from typing import Any

from localcloud.core.not_emulated import NotEmulated
from localcloud.xray import filters, graph, sampling, traces
from localcloud.xray.resources import GROUPS, LOCK, POLICIES

MAX_RANGE_SECONDS = 24 * 3600
MAX_GROUPS = 25
MAX_RULES = 25
RULE_LIMITS = {"ServiceName": 64, "ServiceType": 64, "Host": 64, "HTTPMethod": 10, "URLPath": 128, "ResourceARN": 500}

_tags: dict[str, dict[str, str]] = {}


class InvalidRequest(Exception):
    pass


def _answer(body: dict[str, Any]) -> tuple[int, dict[str, str], str]:
    return 200, {"content-type": "application/json"}, json.dumps(body)


def _error(kind: str, message: str, status: int = 400) -> tuple[int, dict[str, str], str]:
    headers = {"content-type": "application/json", "x-amzn-ErrorType": kind, "status": str(status)}
    return status, headers, json.dumps({"__type": kind, "Message": message, "message": message})


def _arn(response: Any, resource: str) -> str:
    return f"arn:aws:xray:{response.region}:{response.current_account}:{resource}"


def summarize(segments: list[dict[str, Any]], trace: traces.Trace) -> dict[str, Any]:
    view = filters.TraceView(segments)
    root = view.root
    http = root.get("http") or {}
    request, answer = http.get("request") or {}, http.get("response") or {}
    annotations: dict[str, list[dict[str, Any]]] = {}
    for key, value in view.annotations().items():
        kind = (
            "BooleanValue"
            if isinstance(value, bool)
            else "NumberValue"
            if isinstance(value, int | float)
            else "StringValue"
        )
        annotations[key] = [{"AnnotationValue": {kind: value}, "ServiceIds": []}]
    services = []
    for segment in segments:
        entry = {"Name": segment["name"], "Names": [segment["name"]], "AccountId": trace.account}
        if segment.get("origin"):
            entry["Type"] = segment["origin"]
        if entry not in services:
            services.append(entry)
    # HasFault and HasError are the root segment's, HasThrottle any segment's (X-Ray's TraceSummary).
    root_outcome = graph.outcome(root)
    summary: dict[str, Any] = {
        "Id": trace.id,
        "StartTime": trace.start(),
        "Duration": round(trace.end() - trace.start(), 3),
        "ResponseTime": round(float(root.get("end_time", root["start_time"])) - float(root["start_time"]), 3),
        "HasFault": root_outcome == "fault",
        "HasError": root_outcome in ("error", "throttle"),
        "HasThrottle": any(graph.outcome(e) == "throttle" for e in segments),
        "IsPartial": False,
        "Annotations": annotations,
        "ServiceIds": services,
        "Users": [],
        "ResourceARNs": [],
        "InstanceIds": [],
        "AvailabilityZones": [],
        "MatchedEventTime": trace.start(),
    }
    if services:
        summary["EntryPoint"] = services[0]
    if http:
        summary["Http"] = {
            k: v
            for k, v in {
                "HttpURL": request.get("url"),
                "HttpStatus": answer.get("status"),
                "HttpMethod": request.get("method"),
                "UserAgent": request.get("user_agent"),
                "ClientIp": request.get("client_ip"),
            }.items()
            if v is not None
        }
    return summary


def _range(params: dict[str, Any]) -> tuple[float, float]:
    try:
        start, end = float(params["StartTime"]), float(params["EndTime"])
    except (KeyError, TypeError, ValueError):
        raise InvalidRequest("StartTime and EndTime are required") from None
    if end < start:
        raise InvalidRequest("EndTime must be after StartTime")
    return start, end


def _group_filter(response: Any, params: dict[str, Any]) -> filters.Predicate | None:
    name, arn = params.get("GroupName"), params.get("GroupARN")
    if not name and not arn:
        return None
    group = _find_group(response, name, arn)
    return filters.compile_filter(group.get("FilterExpression"))


def _account_groups(response: Any) -> dict[str, dict[str, Any]]:
    key = (response.current_account, response.region)
    with LOCK:
        if key not in GROUPS:
            GROUPS[key] = {"Default": {"GroupName": "Default", "GroupARN": _arn(response, "group/Default")}}
        return GROUPS[key]


def _find_group(response: Any, name: str | None, arn: str | None) -> dict[str, Any]:
    for group in _account_groups(response).values():
        if (name and group["GroupName"] == name) or (arn and group["GroupARN"] == arn):
            return group
    raise InvalidRequest("Group not found")


def _rule_record(rule: sampling.Rule) -> dict[str, Any]:
    return {"SamplingRule": dict(rule.document), "CreatedAt": rule.created, "ModifiedAt": rule.modified}


def _validate_rule(doc: dict[str, Any], creating: bool) -> None:
    if creating:
        for field in ("RuleName", "ResourceARN", "Priority", "FixedRate", "ReservoirSize", "ServiceName",
                      "ServiceType", "Host", "HTTPMethod", "URLPath", "Version"):  # fmt: skip
            if doc.get(field) is None:
                raise InvalidRequest(f"Missing required field {field} in SamplingRule")
        if int(doc["Version"]) != 1:
            raise InvalidRequest("Version must be 1")
        if not 1 <= len(str(doc["RuleName"])) <= 32:
            raise InvalidRequest("RuleName must be between 1 and 32 characters")
    if "FixedRate" in doc and doc["FixedRate"] is not None and not 0 <= float(doc["FixedRate"]) <= 1:
        raise InvalidRequest("FixedRate must be between 0 and 1")
    if "ReservoirSize" in doc and doc["ReservoirSize"] is not None and int(doc["ReservoirSize"]) < 0:
        raise InvalidRequest("ReservoirSize must not be negative")
    if "Priority" in doc and doc["Priority"] is not None and not 1 <= int(doc["Priority"]) <= 9999:
        raise InvalidRequest("Priority must be between 1 and 9999")
    for field, limit in RULE_LIMITS.items():
        if doc.get(field) is not None and len(str(doc[field])) > limit:
            raise InvalidRequest(f"{field} must be at most {limit} characters")


def install() -> None:
    from moto.xray import urls
    from moto.xray.responses import XRayResponse

    def params(self: Any) -> dict[str, Any]:
        try:
            body = json.loads(self.body or "{}")
        except ValueError:
            raise InvalidRequest("The request body is not JSON") from None
        return body if isinstance(body, dict) else {}

    def handled(method: Any) -> Any:
        def call(self: Any) -> Any:
            try:
                return method(self, params(self))
            except InvalidRequest as exc:
                return _error("InvalidRequestException", str(exc))
            except filters.InvalidFilter as exc:
                return _error("InvalidRequestException", str(exc))
            except NotEmulated as exc:
                return _error(exc.code, exc.message, exc.status)

        return call

    def trace_segments(self: Any, p: dict[str, Any]) -> Any:
        documents = p.get("TraceSegmentDocuments")
        if not isinstance(documents, list):
            raise InvalidRequest("TraceSegmentDocuments is required")
        unprocessed = []
        for text in documents:
            try:
                traces.STORE.put(self.current_account, self.region, traces.validate(str(text)))
            except traces.BadSegment as bad:
                unprocessed.append(bad.unprocessed())
        return _answer({"UnprocessedTraceSegments": unprocessed})

    def telemetry_records(self: Any, p: dict[str, Any]) -> Any:
        return _answer({})

    def traces_(self: Any, p: dict[str, Any]) -> Any:
        ids = p.get("TraceIds")
        if not isinstance(ids, list):
            raise InvalidRequest("TraceIds is required")
        found, missing = [], []
        for trace_id in ids:
            trace = traces.STORE.get(self.current_account, self.region, str(trace_id))
            if trace is None:
                missing.append(trace_id)
                continue
            segments = trace.assembled()
            found.append(
                {
                    "Id": trace.id,
                    "Duration": round(trace.end() - trace.start(), 3) if trace.segments else 0,
                    "LimitExceeded": False,
                    "Segments": [{"Id": doc["id"], "Document": json.dumps(doc)} for doc in segments],
                }
            )
        return _answer({"Traces": found, "UnprocessedTraceIds": missing})

    def trace_summaries(self: Any, p: dict[str, Any]) -> Any:
        start, end = _range(p)
        if end - start > MAX_RANGE_SECONDS:
            raise InvalidRequest("Time range cannot exceed 24 hours")
        predicate = filters.compile_filter(p.get("FilterExpression"))
        summaries = []
        for trace in traces.STORE.between(self.current_account, self.region, start, end):
            segments = trace.assembled()
            if predicate is None or predicate(filters.TraceView(segments), None):
                summaries.append(summarize(segments, trace))
        summaries.sort(key=lambda s: s["StartTime"], reverse=True)
        return _answer(
            {"TraceSummaries": summaries, "ApproximateTime": time.time(), "TracesProcessedCount": len(summaries)}
        )

    def service_graph(self: Any, p: dict[str, Any]) -> Any:
        start, end = _range(p)
        predicate = _group_filter(self, p)
        drawn = graph.Graph()
        for trace in traces.STORE.between(self.current_account, self.region, start, end):
            segments = trace.assembled()
            if predicate is None or predicate(filters.TraceView(segments), None):
                drawn.add_trace(segments, trace.account)
        return _answer(
            {
                "StartTime": start,
                "EndTime": end,
                "Services": drawn.describe(start, end),
                "ContainsOldGroupVersions": False,
            }
        )

    def trace_graph(self: Any, p: dict[str, Any]) -> Any:
        drawn = graph.Graph()
        for trace_id in p.get("TraceIds") or []:
            trace = traces.STORE.get(self.current_account, self.region, str(trace_id))
            if trace is not None:
                drawn.add_trace(trace.assembled(), trace.account)
        return _answer({"Services": drawn.describe(0, time.time())})

    # -- groups --------------------------------------------------------------------
    def create_group(self: Any, p: dict[str, Any]) -> Any:
        name = p.get("GroupName") or ""
        if not 1 <= len(name) <= 32 or not set(name) <= set(string.ascii_letters + string.digits + "_-"):
            raise InvalidRequest("GroupName must be 1 to 32 letters, digits, underscores or hyphens")
        if name == "Default":
            raise InvalidRequest("Default group cannot be created")
        filters.compile_filter(p.get("FilterExpression"))
        groups = _account_groups(self)
        with LOCK:
            if name in groups:
                raise InvalidRequest("Group already exists")
            if len(groups) > MAX_GROUPS:
                raise InvalidRequest(f"You have reached the maximum number of groups ({MAX_GROUPS})")
            group = {"GroupName": name, "GroupARN": _arn(self, f"group/{name}/{os.urandom(16).hex()[:26].upper()}")}
            if p.get("FilterExpression"):
                group["FilterExpression"] = p["FilterExpression"]
            group["InsightsConfiguration"] = p.get("InsightsConfiguration") or {
                "InsightsEnabled": False,
                "NotificationsEnabled": False,
            }
            groups[name] = group
            _tags[group["GroupARN"]] = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
        return _answer({"Group": group})

    def get_group(self: Any, p: dict[str, Any]) -> Any:
        return _answer({"Group": _find_group(self, p.get("GroupName"), p.get("GroupARN"))})

    def groups(self: Any, p: dict[str, Any]) -> Any:
        listed = [
            {k: v for k, v in g.items() if k in ("GroupName", "GroupARN", "FilterExpression", "InsightsConfiguration")}
            for g in _account_groups(self).values()
        ]
        return _answer({"Groups": listed})

    def update_group(self: Any, p: dict[str, Any]) -> Any:
        group = _find_group(self, p.get("GroupName"), p.get("GroupARN"))
        if "FilterExpression" in p:
            filters.compile_filter(p.get("FilterExpression"))
        with LOCK:
            if p.get("FilterExpression") is not None:
                group["FilterExpression"] = p["FilterExpression"]
            if p.get("InsightsConfiguration") is not None:
                group["InsightsConfiguration"] = p["InsightsConfiguration"]
        return _answer({"Group": group})

    def delete_group(self: Any, p: dict[str, Any]) -> Any:
        group = _find_group(self, p.get("GroupName"), p.get("GroupARN"))
        if group["GroupName"] == "Default":
            raise InvalidRequest("Default group cannot be deleted")
        with LOCK:
            _account_groups(self).pop(group["GroupName"], None)
            _tags.pop(group["GroupARN"], None)
        return _answer({})

    # -- sampling rules ------------------------------------------------------------
    def create_sampling_rule(self: Any, p: dict[str, Any]) -> Any:
        doc = dict(p.get("SamplingRule") or {})
        _validate_rule(doc, creating=True)
        rules = sampling.RULES.rules(self.current_account, self.region)
        with LOCK:
            if doc["RuleName"] in rules:
                raise InvalidRequest("RuleName already exists")
            if len(rules) > MAX_RULES:
                raise InvalidRequest(f"You have reached the maximum number of sampling rules ({MAX_RULES})")
            doc.setdefault("Attributes", {})
            doc["RuleARN"] = _arn(self, f"sampling-rule/{doc['RuleName']}")
            rule = sampling.Rule(doc)
            rules[doc["RuleName"]] = rule
            _tags[doc["RuleARN"]] = {t["Key"]: t["Value"] for t in p.get("Tags") or []}
        return _answer({"SamplingRuleRecord": _rule_record(rule)})

    def _find_rule(self: Any, name: str | None, arn: str | None) -> sampling.Rule:
        rules = sampling.RULES.rules(self.current_account, self.region)
        for rule in rules.values():
            if (name and rule.name == name) or (arn and rule.document["RuleARN"] == arn):
                return rule
        raise InvalidRequest("Sampling rule does not exist")

    def get_sampling_rules(self: Any, p: dict[str, Any]) -> Any:
        rules = sampling.RULES.rules(self.current_account, self.region)
        return _answer({"SamplingRuleRecords": [_rule_record(r) for r in rules.values()]})

    def update_sampling_rule(self: Any, p: dict[str, Any]) -> Any:
        update = dict(p.get("SamplingRuleUpdate") or {})
        rule = _find_rule(self, update.pop("RuleName", None), update.pop("RuleARN", None))
        _validate_rule(update, creating=False)
        with LOCK:
            rule.document.update({k: v for k, v in update.items() if v is not None})
            rule.modified = time.time()
        return _answer({"SamplingRuleRecord": _rule_record(rule)})

    def delete_sampling_rule(self: Any, p: dict[str, Any]) -> Any:
        rule = _find_rule(self, p.get("RuleName"), p.get("RuleARN"))
        if rule.name == "Default":
            raise InvalidRequest("Cannot delete the default sampling rule")
        with LOCK:
            sampling.RULES.rules(self.current_account, self.region).pop(rule.name, None)
            _tags.pop(rule.document["RuleARN"], None)
        return _answer({"SamplingRuleRecord": _rule_record(rule)})

    def sampling_targets(self: Any, p: dict[str, Any]) -> Any:
        # SDKs ask for a quota: each rule's reservoir per second, for ten seconds.
        targets = []
        for doc in p.get("SamplingStatisticsDocuments") or []:
            rule = _find_rule(self, doc.get("RuleName"), None)
            targets.append(
                {
                    "RuleName": rule.name,
                    "FixedRate": float(rule.document["FixedRate"]),
                    "ReservoirQuota": int(rule.document["ReservoirSize"]),
                    "ReservoirQuotaTTL": time.time() + 10,
                    "Interval": 10,
                }
            )
        return _answer(
            {"SamplingTargetDocuments": targets, "LastRuleModification": time.time(), "UnprocessedStatistics": []}
        )

    # -- resource policies (who else may send segments: SNS) -----------------------------
    def put_resource_policy(self: Any, p: dict[str, Any]) -> Any:
        name, document = p.get("PolicyName") or "", p.get("PolicyDocument") or ""
        if not 1 <= len(name) <= 128:
            raise InvalidRequest("PolicyName must be 1 to 128 characters")
        try:
            parsed = json.loads(document)
        except ValueError:
            raise InvalidRequest("Invalid policy document: not JSON") from None
        if not isinstance(parsed, dict) or not parsed.get("Statement"):
            raise InvalidRequest("Invalid policy document: no Statement")
        policies = POLICIES.setdefault((self.current_account, self.region), {})
        with LOCK:
            current = policies.get(name)
            if p.get("PolicyRevisionId") and (current is None or current["PolicyRevisionId"] != p["PolicyRevisionId"]):
                return _error("InvalidPolicyRevisionIdException", "The provided revision id does not match.")
            if current is None and len(policies) >= 5:
                return _error("PolicyCountLimitExceededException", "You have reached the maximum of 5 policies.")
            record = {
                "PolicyName": name,
                "PolicyDocument": document,
                "PolicyRevisionId": str(int(current["PolicyRevisionId"]) + 1) if current else "1",
                "LastUpdatedTime": time.time(),
            }
            policies[name] = record
        return _answer({"ResourcePolicy": record})

    def list_resource_policies(self: Any, p: dict[str, Any]) -> Any:
        with LOCK:
            listed = list(POLICIES.get((self.current_account, self.region), {}).values())
        return _answer({"ResourcePolicies": listed})

    def delete_resource_policy(self: Any, p: dict[str, Any]) -> Any:
        policies = POLICIES.setdefault((self.current_account, self.region), {})
        with LOCK:
            current = policies.get(p.get("PolicyName") or "")
            if current is None:
                return _error("ResourceNotFoundException", f"Policy {p.get('PolicyName')} not found", 404)
            if p.get("PolicyRevisionId") and p["PolicyRevisionId"] != current["PolicyRevisionId"]:
                return _error("InvalidPolicyRevisionIdException", "The provided revision id does not match.")
            del policies[current["PolicyName"]]
        return _answer({})

    # -- tags ----------------------------------------------------------------------
    def _tagged(arn: str) -> dict[str, str]:
        with LOCK:
            if arn not in _tags:
                raise InvalidRequest(f"Resource {arn} not found")
            return _tags[arn]

    def tag_resource(self: Any, p: dict[str, Any]) -> Any:
        tags = _tagged(str(p.get("ResourceARN")))
        tags.update({t["Key"]: t["Value"] for t in p.get("Tags") or []})
        return _answer({})

    def untag_resource(self: Any, p: dict[str, Any]) -> Any:
        tags = _tagged(str(p.get("ResourceARN")))
        for key in p.get("TagKeys") or []:
            tags.pop(key, None)
        return _answer({})

    def list_tags_for_resource(self: Any, p: dict[str, Any]) -> Any:
        tags = _tagged(str(p.get("ResourceARN")))
        return _answer({"Tags": [{"Key": k, "Value": v} for k, v in tags.items()]})

    operations = {
        "TraceSegments": trace_segments,
        "TelemetryRecords": telemetry_records,
        "Traces": traces_,
        "TraceSummaries": trace_summaries,
        "ServiceGraph": service_graph,
        "TraceGraph": trace_graph,
        "CreateGroup": create_group,
        "GetGroup": get_group,
        "Groups": groups,
        "UpdateGroup": update_group,
        "DeleteGroup": delete_group,
        "CreateSamplingRule": create_sampling_rule,
        "GetSamplingRules": get_sampling_rules,
        "UpdateSamplingRule": update_sampling_rule,
        "DeleteSamplingRule": delete_sampling_rule,
        "SamplingTargets": sampling_targets,
        "TagResource": tag_resource,
        "UntagResource": untag_resource,
        "ListTagsForResource": list_tags_for_resource,
        "PutResourcePolicy": put_resource_policy,
        "ListResourcePolicies": list_resource_policies,
        "DeleteResourcePolicy": delete_resource_policy,
    }
    from moto.core.utils import camelcase_to_underscores

    for path, method in operations.items():
        setattr(XRayResponse, camelcase_to_underscores(path), handled(method))
        urls.url_paths[f"{{0}}/{path}$"] = XRayResponse.dispatch
