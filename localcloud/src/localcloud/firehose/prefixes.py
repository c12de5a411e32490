"""S3 object keys as Firehose names them: custom prefixes with `!{namespace:value}` expressions, the default
time prefix, the error output prefix, and the object name suffix.

AWS's rules (Firehose developer guide, "Custom prefixes for Amazon S3 objects" and "Amazon S3 object name
format"):
- a `Prefix` without a `timestamp` expression gets `!{timestamp:yyyy/MM/dd/HH/}` appended;
- `ErrorOutputPrefix` may be left out only when `Prefix` has no expressions; an `ErrorOutputPrefix` with
  expressions must contain `!{firehose:error-output-type}`, and `Prefix` must not;
- without an `ErrorOutputPrefix`, failed records go under `<Prefix><error-output-type>/yyyy/MM/dd/HH/`; an
  `ErrorOutputPrefix` without expressions is treated the same way (type and time appended);
- timestamps are the arrival time of the oldest record in the object (UTC, or `CustomTimeZone`);
  `!{firehose:random-string}` is 11 random characters, new at each use;
- the object name is `<evaluated prefix><stream>-<version>-<yyyy>-<MM>-<dd>-<HH>-<mm>-<ss>-<uuid><ext>`.
"""

from __future__ import annotations

import re
import secrets
import string
import uuid
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from moto.firehose.exceptions import InvalidArgumentException

EXPRESSION = re.compile(r"!\{([A-Za-z]+):([^}]*)\}")
NAMESPACES = ("firehose", "timestamp", "partitionKeyFromQuery", "partitionKeyFromLambda")
DEFAULT_TIME = "!{timestamp:yyyy/MM/dd/HH/}"
ERROR_TYPE = "!{firehose:error-output-type}"
EXTENSIONS = {"GZIP": ".gz", "ZIP": ".zip", "Snappy": ".snappy", "HADOOP_SNAPPY": ".snappy", "UNCOMPRESSED": ""}
# Java DateTimeFormatter letters Firehose users write, as strftime directives (longest first).
JAVA_FIELDS = (
    ("yyyy", "%Y"), ("yy", "%y"), ("MMM", "%b"), ("MM", "%m"), ("dd", "%d"), ("DDD", "%j"), ("HH", "%H"), ("mm", "%M"),
    ("ss", "%S"), ("a", "%p"), ("EEE", "%a"),
)  # fmt: skip


def _refused(constraint: str) -> InvalidArgumentException:
    # "Ths" is AWS's own spelling in this message.
    return InvalidArgumentException(f"Ths supplied prefix(es) do not satisfy the following constraint: {constraint}")


def validate(prefix: str | None, error_prefix: str | None) -> None:
    """Refuse the prefixes CreateDeliveryStream and UpdateDestination refuse."""
    prefix, error_prefix = prefix or "", error_prefix or ""
    for text in (prefix, error_prefix):
        for namespace, _ in EXPRESSION.findall(text):
            if namespace not in NAMESPACES:
                raise _refused(f"The expression namespace {namespace} is not supported")
    if ERROR_TYPE in prefix:
        raise _refused("Prefix cannot contain !{firehose:error-output-type}")
    if EXPRESSION.search(prefix) and not error_prefix:
        raise _refused("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions")
    if EXPRESSION.search(error_prefix) and ERROR_TYPE not in error_prefix:
        raise _refused("ErrorOutputPrefix must contain !{firehose:error-output-type} when it contains expressions")


def java_time(pattern: str, moment: datetime) -> str:
    """A Java DateTimeFormatter pattern evaluated at `moment`: its letters, and 'quoted' text kept as is."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "'":
            end = pattern.find("'", i + 1)
            end = len(pattern) if end < 0 else end
            out.append(pattern[i + 1 : end] or "'")
            i = end + 1
            continue
        for letters, directive in JAVA_FIELDS:
            if pattern.startswith(letters, i):
                out.append(moment.strftime(directive))
                i += len(letters)
                break
        else:
            out.append(pattern[i])
            i += 1
    return "".join(out)


def random_string() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(11))


def evaluate(template: str, moment: datetime, error_type: str | None, partition_keys: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        namespace, key = match.group(1), match.group(2)
        if namespace == "timestamp":
            return java_time(key, moment)
        if namespace == "firehose":
            return random_string() if key == "random-string" else (error_type or "")
        return partition_keys.get(key, "")

    return EXPRESSION.sub(value, template)


def zone(custom_time_zone: str | None) -> tzinfo:
    return ZoneInfo(custom_time_zone) if custom_time_zone and custom_time_zone != "UTC" else UTC


def delivered_prefix(prefix: str | None, moment: datetime, partition_keys: dict[str, str] | None = None) -> str:
    template = prefix or ""
    if "!{timestamp:" not in template:
        template += DEFAULT_TIME
    return evaluate(template, moment, None, partition_keys or {})


def error_prefix(prefix: str | None, error_output_prefix: str | None, moment: datetime, error_type: str) -> str:
    if error_output_prefix and EXPRESSION.search(error_output_prefix):
        template = error_output_prefix
    else:
        template = (error_output_prefix or prefix or "") + ERROR_TYPE + "/" + DEFAULT_TIME
    return evaluate(template, moment, error_type, {})


def object_name(stream: str, version: str, written: datetime, compression: str, file_extension: str | None) -> str:
    # The AWS provider sends an empty FileExtension when none is set: the compression's then.
    extension = file_extension or EXTENSIONS.get(compression, "")
    return f"{stream}-{version}-{written:%Y-%m-%d-%H-%M-%S}-{uuid.uuid4()}{extension}"
