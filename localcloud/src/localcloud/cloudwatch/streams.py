"""CloudWatch metric streams: kept as CloudWatch keeps them, and delivering the account's metrics to Firehose.

moto has no metric streams (PutMetricStream answered 500 and the provider retried for minutes). Here the API
keeps them (state, filters, output format, tags), and every `LOCALCLOUD_METRIC_STREAM_S` seconds (60, as
CloudWatch streams each minute's data) a running stream sends the data points of the minutes that have ended
since it last sent, for the metrics its filters admit to its Firehose delivery stream as its role (assumed as
`streams.metrics.cloudwatch.amazonaws.com`; the role's `firehose:PutRecordBatch` and Firehose's own checks
decide), one JSON line per metric, dimensions and minute: `metric_stream_name`, `account_id`, `region`,
`namespace`, `metric_name`, `dimensions`, `timestamp` (ms), `value` (`max`, `min`, `sum`, `count`), `unit`.
The OpenTelemetry output formats are refused as not emulated.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from localcloud.core import iam

SERVICE = "streams.metrics.cloudwatch.amazonaws.com"
FORMATS = ("json", "opentelemetry0.7", "opentelemetry1.0")
EMULATED_FORMATS = ("json",)
BATCH = 500


@dataclass
class MetricStream:
    name: str
    account: str
    region: str
    firehose_arn: str
    role_arn: str
    output_format: str
    include_filters: list[dict[str, Any]]
    exclude_filters: list[dict[str, Any]]
    statistics_configurations: list[dict[str, Any]]
    include_linked_accounts: bool
    state: str = "running"
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    cursor: datetime = field(default_factory=lambda: datetime.now(UTC))  # data points before it were sent
    sending: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def arn(self) -> str:
        return f"arn:aws:cloudwatch:{self.region}:{self.account}:metric-stream/{self.name}"

    def admits(self, namespace: str, metric: str) -> bool:
        def named(filters: list[dict[str, Any]]) -> bool:
            return any(
                f.get("Namespace") == namespace and (not f.get("MetricNames") or metric in f["MetricNames"])
                for f in filters
            )

        if self.include_filters:
            return named(self.include_filters)
        return not named(self.exclude_filters)

    def summary(self) -> dict[str, Any]:
        return {
            "Arn": self.arn,
            "CreationDate": self.created,
            "LastUpdateDate": self.updated,
            "Name": self.name,
            "FirehoseArn": self.firehose_arn,
            "State": self.state,
            "OutputFormat": self.output_format,
        }

    def description(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "RoleArn": self.role_arn,
            "IncludeFilters": self.include_filters,
            "ExcludeFilters": self.exclude_filters,
            "StatisticsConfigurations": self.statistics_configurations,
            "IncludeLinkedAccountsMetrics": self.include_linked_accounts,
        }


STREAMS: dict[tuple[str, str], dict[str, MetricStream]] = {}
LOCK = threading.Lock()


def streams_of(account: str, region: str) -> dict[str, MetricStream]:
    return STREAMS.setdefault((account, region), {})


def find_by_arn(arn: str) -> MetricStream | None:
    parts = arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("metric-stream/"):
        return None
    return streams_of(parts[4], parts[3]).get(parts[5].split("/", 1)[1])


# -- delivery -------------------------------------------------------------------------------------------------


def _minute(moment: datetime) -> datetime:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.replace(second=0, microsecond=0)


def records_of(stream: MetricStream, data: list[Any], until: datetime) -> list[str]:
    """JSON lines for the data points of the minutes from the stream's cursor to `until`, per metric,
    dimensions and minute."""
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for datum in data:
        stamp = datum.timestamp if datum.timestamp.tzinfo else datum.timestamp.replace(tzinfo=UTC)
        if not stream.cursor <= stamp < until or not stream.admits(datum.namespace, datum.name):
            continue
        dimensions = {d.name: d.value for d in datum.dimensions}
        key = (datum.namespace, datum.name, tuple(sorted(dimensions.items())), _minute(stamp))
        group = groups.setdefault(
            key, {"dimensions": dimensions, "unit": datum.unit or "None", "values": [], "aggregates": []}
        )
        if hasattr(datum, "value"):
            group["values"].append(float(datum.value))
        else:  # StatisticValues put as such
            group["aggregates"].append(datum)
    lines = []
    for (namespace, name, _, minute), group in sorted(groups.items(), key=lambda item: str(item[0])):
        values, aggregates = group["values"], group["aggregates"]
        maxima = values + [float(a.max_stat) for a in aggregates]
        minima = values + [float(a.min_stat) for a in aggregates]
        total = sum(values) + sum(float(a.sum_stat) for a in aggregates)
        count = len(values) + sum(float(a.sample_count) for a in aggregates)
        lines.append(
            json.dumps(
                {
                    "metric_stream_name": stream.name,
                    "account_id": stream.account,
                    "region": stream.region,
                    "namespace": namespace,
                    "metric_name": name,
                    "dimensions": group["dimensions"],
                    "timestamp": int(minute.timestamp() * 1000),
                    "value": {"max": max(maxima), "min": min(minima), "sum": total, "count": float(count)},
                    "unit": group["unit"],
                }
            )
            + "\n"
        )
    return lines


def flush(endpoint_url: str, through_now: bool = False) -> int:
    """Send every running stream the minutes that have ended since it last sent (with `through_now`, the current
    minute's data points so far too); how many records were delivered. A data point is sent once (one put later
    with an earlier time is not sent)."""
    from moto.cloudwatch.models import cloudwatch_backends

    until = datetime.now(UTC) if through_now else _minute(datetime.now(UTC))
    delivered = 0
    with LOCK:
        streams = [s for by_name in STREAMS.values() for s in by_name.values() if s.state == "running"]
    for stream in streams:
        with stream.sending:  # the interval and the control endpoint may flush at once
            if stream.cursor >= until:
                continue
            try:
                data = list(cloudwatch_backends[stream.account][stream.region].get_all_metrics())
                lines = records_of(stream, data, until)
                stream.cursor = until
                delivered += _deliver(stream, lines, endpoint_url) if lines else 0
            except Exception as exc:  # one stream's trouble must not keep the others from sending
                print(f"metric stream {stream.arn}: {exc!r}", flush=True)
    return delivered


def _deliver(stream: MetricStream, lines: list[str], endpoint_url: str) -> int:
    credentials = iam.service_session(
        stream.role_arn,
        SERVICE,
        "localcloud-metric-stream",
        stream.region,
        source_arn=stream.arn,
        source_account=stream.account,
    )
    if credentials is None:
        print(
            f"metric stream {stream.arn}: {SERVICE} cannot assume {stream.role_arn}; dropped {len(lines)} records",
            flush=True,
        )
        return 0
    firehose = iam.session_client("firehose", stream.firehose_arn.split(":")[3], endpoint_url, credentials)
    name = stream.firehose_arn.rsplit("/", 1)[1]
    sent = 0
    for start in range(0, len(lines), BATCH):
        chunk = lines[start : start + BATCH]
        try:
            answer = firehose.put_record_batch(
                DeliveryStreamName=name, Records=[{"Data": line.encode()} for line in chunk]
            )
        except (ClientError, BotoCoreError) as exc:
            print(f"metric stream {stream.arn}: {stream.firehose_arn} refused {len(chunk)} records: {exc}", flush=True)
            continue
        sent += len(chunk) - int(answer.get("FailedPutCount", 0))
    return sent


# -- the API ---------------------------------------------------------------------------------------------------


def install() -> None:
    from moto.cloudwatch.exceptions import (
        InvalidParameterCombination,
        InvalidParameterValue,
        ResourceNotFoundException,
    )
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.core.responses import ActionResult, EmptyResult

    def mine(self: Any) -> dict[str, MetricStream]:
        return streams_of(self.current_account, self.region)

    def found(self: Any, name: str) -> MetricStream:
        stream = mine(self).get(name)
        if stream is None:
            raise ResourceNotFoundException(f"MetricStream {name} does not exist")
        return stream

    def put_metric_stream(self: Any) -> Any:
        name = self._get_param("Name")
        output_format = self._get_param("OutputFormat")
        include, exclude = self._get_param("IncludeFilters", []), self._get_param("ExcludeFilters", [])
        if output_format not in FORMATS:
            raise InvalidParameterValue(f"OutputFormat must be one of {', '.join(FORMATS)}")
        if output_format not in EMULATED_FORMATS:
            raise InvalidParameterValue(
                f"OutputFormat {output_format} is not emulated by the local cloud: use json (AWS accepts it)"
            )
        if include and exclude:
            raise InvalidParameterCombination("IncludeFilters and ExcludeFilters cannot both be specified")
        settings = {
            "firehose_arn": self._get_param("FirehoseArn"),
            "role_arn": self._get_param("RoleArn"),
            "output_format": output_format,
            "include_filters": include,
            "exclude_filters": exclude,
            "statistics_configurations": self._get_param("StatisticsConfigurations", []),
            "include_linked_accounts": bool(self._get_param("IncludeLinkedAccountsMetrics", False)),
        }
        with LOCK:
            stream = mine(self).get(name)
            created = stream is None
            if stream is None:
                stream = mine(self)[name] = MetricStream(
                    name=name, account=self.current_account, region=self.region, **settings
                )
        if not created:  # PutMetricStream updates in place (state, cursor and tags kept)
            with stream.sending:
                for attribute, value in settings.items():
                    setattr(stream, attribute, value)
                stream.updated = datetime.now(UTC)
        tags = {t["Key"]: t["Value"] for t in self._get_param("Tags", []) or []}
        if tags and created:  # tags are given at creation; an update leaves them to TagResource
            self.cloudwatch_backend.tagger.tag_resource(
                stream.arn, self.cloudwatch_backend.tagger.convert_dict_to_tags_input(tags)
            )
        return ActionResult({"Arn": stream.arn})

    def get_metric_stream(self: Any) -> Any:
        return ActionResult(found(self, self._get_param("Name")).description())

    def list_metric_streams(self: Any) -> Any:
        return ActionResult({"Entries": [s.summary() for s in sorted(mine(self).values(), key=lambda s: s.name)]})

    def delete_metric_stream(self: Any) -> Any:
        with LOCK:
            stream = mine(self).pop(self._get_param("Name"), None)
        if stream is not None:
            self.cloudwatch_backend.tagger.delete_all_tags_for_resource(stream.arn)
        return EmptyResult()

    def set_state(state: str) -> Any:
        def handler(self: Any) -> Any:
            for name in self._get_param("Names", []):
                stream = found(self, name)
                if state == "running" and stream.state != "running":
                    stream.cursor = datetime.now(UTC)  # a started stream sends what is put from now on
                stream.state, stream.updated = state, datetime.now(UTC)
            return EmptyResult()

        return handler

    CloudWatchResponse.put_metric_stream = put_metric_stream
    CloudWatchResponse.get_metric_stream = get_metric_stream
    CloudWatchResponse.list_metric_streams = list_metric_streams
    CloudWatchResponse.delete_metric_stream = delete_metric_stream
    CloudWatchResponse.start_metric_streams = set_state("running")
    CloudWatchResponse.stop_metric_streams = set_state("stopped")

    tag, untag = CloudWatchBackend.tag_resource, CloudWatchBackend.untag_resource

    def tag_resource(self: Any, arn: str, tags: dict[str, str]) -> None:
        if find_by_arn(arn) is not None:  # metric streams are taggable too
            self.tagger.tag_resource(arn, self.tagger.convert_dict_to_tags_input(tags))
            return
        tag(self, arn, tags)

    def untag_resource(self: Any, arn: str, tag_keys: list[str]) -> None:
        if find_by_arn(arn) is not None:
            self.tagger.untag_resource_using_names(arn, tag_keys)
            return
        untag(self, arn, tag_keys)

    CloudWatchBackend.tag_resource = tag_resource
    CloudWatchBackend.untag_resource = untag_resource
