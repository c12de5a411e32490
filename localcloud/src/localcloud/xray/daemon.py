"""The X-Ray daemon on loopback: UDP datagrams from the SDKs, uploaded as the sender's role.

In Lambda the daemon runs in the execution environment and uploads with the function's role, so a role
without `xray:PutTraceSegments` loses its function's own subsegments (Lambda's segments still arrive: the
service sends those). Here one socket serves every function: a document is attributed to the invocation
whose function segment it descends from (its `parent_id`, or an ancestor already received), and dropped,
with a line in the server log, when that function's role may not upload it. A document that descends from
no invocation (an SDK outside Lambda pointed at this address) is kept in the daemon's account and region.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass

from localcloud.core import iam
from localcloud.xray import traces

HEADER = {"format": "json", "version": 1}
OWNER_SECONDS = 900.0  # a function's segment ids are remembered for as long as its longest invocation


@dataclass(frozen=True)
class Owner:
    """Who uploads a segment's descendants: a function's execution role, in its account and region."""

    account: str
    region: str
    role_arn: str
    function_name: str


class Owners:
    def __init__(self) -> None:
        self._owners: dict[str, tuple[Owner, float]] = {}  # segment ids, and trace ids as a fallback
        self._lock = threading.Lock()

    def expect(self, segment_id: str, owner: Owner, trace_id: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._owners[segment_id] = (owner, now)
            self._owners[trace_id] = (owner, now)
            if len(self._owners) > 10_000:
                horizon = now - OWNER_SECONDS
                self._owners = {k: v for k, v in self._owners.items() if v[1] > horizon}

    def of(self, doc: dict) -> Owner | None:
        """The invocation the document descends from: by its parent (or itself), else by its trace (an SDK
        streams a finished subsegment before the parent still open, which has not arrived)."""
        with self._lock:
            found = (
                self._owners.get(doc.get("parent_id") or "")
                or self._owners.get(doc["id"])
                or self._owners.get(doc["trace_id"])
            )
            if found is None:
                return None
            # The document's own subsegments may be parents of later documents.
            for node_id in traces.entity_ids(doc):
                self._owners[node_id] = (found[0], time.monotonic())
            return found[0]


OWNERS = Owners()


class Daemon:
    def __init__(self, port: int, account: str, region: str, store: traces.TraceStore = traces.STORE) -> None:
        self.account = account
        self.region = region
        self.store = store
        self.dropped = 0
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", port))
        self.address = f"127.0.0.1:{self._socket.getsockname()[1]}"
        self._thread = threading.Thread(target=self._serve, name="xray-daemon", daemon=True)
        self._stopping = False
        self._thread.start()

    def _serve(self) -> None:
        while not self._stopping:
            try:
                datagram = self._socket.recv(65535)
            except OSError:
                return
            try:
                self.receive(datagram)
            except Exception as exc:  # one bad datagram must not end the daemon
                print(f"xray daemon: {exc!r}", flush=True)

    def receive(self, datagram: bytes) -> None:
        header, _, body = datagram.decode("utf-8", errors="replace").partition("\n")
        try:
            if json.loads(header) != HEADER:
                raise ValueError(header)
        except ValueError:
            print(f"xray daemon: a datagram without the daemon header was dropped: {header[:80]!r}", flush=True)
            return
        try:
            doc = traces.validate(body)
        except traces.BadSegment as bad:
            print(f"xray daemon: segment {bad.segment_id} refused: {bad.code}: {bad}", flush=True)
            return
        owner = OWNERS.of(doc)
        if owner is None:
            self.store.put(self.account, self.region, doc)
            return
        identity = iam.poller_identity(owner.role_arn, owner.function_name)
        decision = iam.decide(identity, "xray:PutTraceSegments", "*")
        if not decision.allowed:
            self.dropped += 1
            print(
                f"xray daemon: segments of {owner.function_name} dropped: "
                f"{decision.message(identity, 'xray:PutTraceSegments', '*')}",
                flush=True,
            )
            return
        self.store.put(owner.account, owner.region, doc)

    def stop(self) -> None:
        self._stopping = True
        self._socket.close()
