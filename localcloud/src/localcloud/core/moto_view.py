"""moto's own view of its models (`/moto-api/data.json`, its dashboard's data) reads every public attribute of
every model and skips only TypeError, AttributeError and ValueError: a model with a property that raises
anything else (RDS's write-only `master_user_password` and `db_subnet_group_name` raise
NotImplementedError) made the whole view a 500 once one existed. Here an attribute that cannot be read is
left out, whatever it raises."""

from __future__ import annotations

import json
from typing import Any


def readable_model_data(request: Any, full_url: str, headers: Any) -> tuple[int, dict[str, str], str]:
    from moto.core.model_instances import model_data

    results: dict[str, dict[str, list[Any]]] = {}
    for service in sorted(model_data):
        results[service] = {}
        for name in sorted(model_data[service]):
            instances = []
            for instance in model_data[service][name].instances_tracked:  # type: ignore[attr-defined]
                readable = {}
                for attribute in dir(instance):
                    if attribute.startswith("_"):
                        continue
                    try:
                        value = getattr(instance, attribute)
                        json.dumps(value)
                    except Exception:  # noqa: BLE001 - unreadable or not JSON: not shown, as moto intends
                        continue
                    readable[attribute] = value
                instances.append(readable)
            results[service][name] = instances
    return 200, {"Content-Type": "application/javascript"}, json.dumps(results)


def install() -> None:
    from moto.moto_api._internal import urls

    urls.url_paths["{0}/moto-api/data.json"] = readable_model_data
