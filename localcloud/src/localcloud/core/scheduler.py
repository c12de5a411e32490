"""Run callables later without a sleeping thread each: one timer thread, a heap of due times, a worker pool.

Asynchronous Lambda retries and throttled events wait here, so a function that
is throttled for hours holds no thread while it waits.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor


class Scheduler:
    def __init__(self, workers: int, name: str) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._condition = threading.Condition()
        self._stopped = False
        self._timer = threading.Thread(target=self._run_timer, name=f"{name}-timer", daemon=True)
        self._timer.start()

    def submit(self, job: Callable[[], None], delay_s: float = 0.0) -> None:
        """Run job on the pool after delay_s; an exception it raises is printed to the server log."""
        if delay_s <= 0:
            self._pool.submit(self._guarded, job)
            return
        with self._condition:
            heapq.heappush(self._due, (time.monotonic() + delay_s, next(self._order), job))
            self._condition.notify()

    def pending(self) -> int:
        with self._condition:
            return len(self._due)

    @staticmethod
    def _guarded(job: Callable[[], None]) -> None:
        try:
            job()
        except Exception:
            print(f"scheduled job {job!r} failed:\n{traceback.format_exc()}", flush=True)

    def _run_timer(self) -> None:
        with self._condition:
            while not self._stopped:
                if not self._due:
                    self._condition.wait()
                    continue
                wait = self._due[0][0] - time.monotonic()
                if wait > 0:
                    self._condition.wait(wait)
                    continue
                _, _, job = heapq.heappop(self._due)
                self._pool.submit(self._guarded, job)

    def shutdown(self) -> None:
        with self._condition:
            self._stopped = True
            self._due.clear()
            self._condition.notify()
        self._pool.shutdown(wait=False, cancel_futures=True)


class Periodic:
    """One thread running `job` every `interval_s` seconds until stopped (sleeping in between); an exception
    is printed to the server log and the next run happens on time."""

    def __init__(self, interval_s: float, job: Callable[[], object], name: str) -> None:
        self.interval_s = interval_s
        self._job = job
        self._stopped = threading.Event()
        threading.Thread(target=self._run, name=name, daemon=True).start()

    def _run(self) -> None:
        while not self._stopped.wait(self.interval_s):
            try:
                self._job()
            except Exception:
                print(f"periodic job {self._job!r} failed:\n{traceback.format_exc()}", flush=True)

    def stop(self, *_: object) -> None:
        self._stopped.set()
