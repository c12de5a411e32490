"""GetMetricStatistics reads the metric with exactly the dimensions asked for, as CloudWatch does: a metric
is its namespace, name and whole dimension set, so `{ApiId}` and `{ApiId, Stage}` are two metrics (moto
summed every datum that carried the asked dimensions among others, and every datum when none were asked)."""

from __future__ import annotations

import threading
from typing import Any

_lock = threading.Lock()


def install() -> None:
    from moto.cloudwatch.models import CloudWatchBackend

    original = CloudWatchBackend.get_metric_statistics

    def get_metric_statistics(self: Any, *args: Any, **kwargs: Any) -> Any:
        names = ("namespace", "metric_name", "start_time", "end_time", "period", "stats", "dimensions", "unit")
        call = dict(zip(names, args, strict=False)) | kwargs
        wanted = sorted((d["Name"], d.get("Value")) for d in call.get("dimensions") or [])
        every = self.get_all_metrics

        def exactly() -> list[Any]:
            return [md for md in every() if sorted((d.name, d.value) for d in md.dimensions) == wanted]

        with _lock:  # the backend's reader is swapped for this call only
            self.get_all_metrics = exactly
            try:
                return original(self, **call)
            finally:
                del self.get_all_metrics

    CloudWatchBackend.get_metric_statistics = get_metric_statistics
