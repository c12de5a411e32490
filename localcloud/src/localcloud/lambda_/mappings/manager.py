"""What every event source mapping poller shares: one poller per enabled mapping, kept in step with the API.

Lambda runs a poller for each enabled mapping and replaces it when a setting that shapes the polling
changes. A manager scans moto's mappings every SCAN_INTERVAL_S, stops the pollers of mappings that are
gone, disabled or changed, and starts new ones; the kinds (SQS, streams) differ only in which mappings
are theirs, what a change is, and how a poller runs.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

from moto.awslambda import models as lambda_models

SCAN_INTERVAL_S = 0.2


class Poller(Protocol):
    def stop(self) -> None: ...


class MappingManager:
    """Keeps one poller per enabled mapping of its kind, following creates, updates and deletes."""

    kind = "mapping"

    def __init__(self, service: Any) -> None:
        self.service = service
        self.pollers: dict[str, tuple[Any, tuple]] = {}
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=f"{self.kind}-poller-manager")

    # -- what a kind of mapping defines --------------------------------------------------------------------
    def accepts(self, esm: Any) -> bool:
        """Whether the mapping's source is this manager's kind."""
        raise NotImplementedError

    def signature(self, esm: Any) -> tuple:
        """The settings that, when updated, need a new poller (the rest is read per batch)."""
        raise NotImplementedError

    def new_poller(self, esm: Any) -> Any:
        raise NotImplementedError

    def tick(self, poller: Any) -> None:
        """Called for every running poller at each scan (streams add lanes for new shards)."""

    # -- the loop ------------------------------------------------------------------------------------------
    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        for poller, _ in self.pollers.values():
            poller.stop()

    def mappings(self) -> dict[str, Any]:
        found = {}
        for regions in list(lambda_models.lambda_backends.values()):
            for backend in list(regions.values()):
                for esm in list(backend._event_source_mappings.values()):
                    if esm.enabled and self.accepts(esm):
                        found[esm.uuid] = esm
        return found

    def scan(self) -> None:
        mappings = self.mappings()
        for uuid, (poller, signature) in list(self.pollers.items()):
            esm = mappings.get(uuid)
            if esm is None or self.signature(esm) != signature:
                poller.stop()
                del self.pollers[uuid]
        for uuid, esm in mappings.items():
            if uuid not in self.pollers:
                self.pollers[uuid] = (self.new_poller(esm), self.signature(esm))
            self.tick(self.pollers[uuid][0])

    def _run(self) -> None:
        while not self._stopped.wait(SCAN_INTERVAL_S):
            try:
                self.scan()
            except Exception as exc:
                print(f"{self.kind} poller manager: {exc!r}", flush=True)
