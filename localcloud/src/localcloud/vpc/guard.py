"""A data store's endpoint that security groups guard: a listener on the store's own loopback address that
passes each connection the network admits to the server behind it, byte for byte (TLS included).

A connection the network does not admit gets what a dropped SYN gives in AWS: nothing. It is held open,
silent, until the client gives up (its timeout), its worker ends, or HOLD_S pass; the local cloud's log
names the rule that was missing.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import replace

from localcloud.core.loopback import bound_listener, relay
from localcloud.vpc import placement, rules

HOLD_S = 900.0  # Lambda's longest timeout: no client waits longer
LOG = logging.getLogger("localcloud.vpc")


def hold(connection: socket.socket, client: placement.Placement) -> None:
    """Say nothing until the client leaves (or its worker ends)."""
    deadline = time.monotonic() + HOLD_S
    connection.settimeout(0.5)
    try:
        while time.monotonic() < deadline and placement.alive(client):
            try:
                if not connection.recv(65536):
                    return
            except TimeoutError:
                continue
    except OSError:
        pass
    finally:
        connection.close()


class GuardedEndpoint:
    """`address:port` (an address of its own, or the one given) in front of `upstream`; `store` says where the
    store sits now (None: not in the network model, every client admitted)."""

    def __init__(
        self,
        name: str,
        port: int,
        upstream: Callable[[], tuple[str, int] | None],
        store: Callable[[], rules.Store | None],
        address: str | None = None,
    ) -> None:
        self.name = name
        self._upstream = upstream
        self._store = store
        if address is None:
            self._listener, self.address = bound_listener(port)
        else:
            self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._listener.bind((address, port))
            self._listener.listen(64)
            self.address = address
        self.port = port
        self._closed = threading.Event()
        threading.Thread(target=self._serve, name=f"guard-{name}", daemon=True).start()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                connection, peer = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._pass, args=(connection, peer[:2]), daemon=True).start()

    def _pass(self, connection: socket.socket, peer: tuple[str, int]) -> None:
        store = self._store()
        client = placement.client_of(peer, (self.address, self.port)) if store is not None else None
        if store is not None and client is not None:
            refusal = rules.refusal_to_store(client, replace(store, port=self.port))  # the port it came to
            if refusal is not None:
                LOG.warning("network: %s cannot reach %s: %s", client.who, self.name, refusal)
                hold(connection, client)
                return
        upstream = self._upstream()
        if upstream is None:
            connection.close()
            return
        try:
            server = socket.create_connection(upstream, timeout=10)
            server.settimeout(None)
        except OSError:
            connection.close()
            return
        relay(connection, server)

    def close(self) -> None:
        self._closed.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept; close alone does not
        except OSError:
            pass
        try:
            self._listener.close()
        except OSError:
            pass
