"""A data store's endpoint that security groups guard: a listener on the store's own loopback address that
passes each connection the network admits to the server behind it, byte for byte (TLS included).

A connection the network does not admit gets what a dropped SYN gives in AWS: nothing. It is held open,
silent, until the client gives up (its timeout), its worker ends, or HOLD_S pass; the local cloud's log
names the rule that was missing.
"""

from __future__ import annotations

import logging
import socket
import time
from collections.abc import Callable
from dataclasses import replace

from localcloud.core.loopback import LoopbackServer, bound_listener, relay
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


def admitted(
    connection: socket.socket, peer: tuple[str, int], local: tuple[str, int], store: rules.Store | None, name: str
) -> bool:
    """Whether the network lets the connection from `peer` reach `store` on the port it came to; a refused
    one is held (`hold`) and the missing rule logged. Not a function, or a store outside the model: admitted."""
    client = placement.client_of(peer, local) if store is not None else None
    if store is None or client is None:
        return True
    refusal = rules.refusal_to_store(client, replace(store, port=local[1]))
    if refusal is None:
        return True
    LOG.warning("network: %s cannot reach %s: %s", client.who, name, refusal)
    hold(connection, client)
    return False


Opening = Callable[[socket.socket, tuple[str, int]], "bytes | None"]


class GuardedEndpoint(LoopbackServer):
    """`address:port` (an address of its own, or the one given) in front of `upstream`; `store` says where the
    store sits now (None: not in the network model, every client admitted). `opening`, when given, reads an
    admitted client's first message: the bytes to pass on, or None when it answered the client itself (a
    database refusing a plain-text session)."""

    def __init__(
        self,
        name: str,
        port: int,
        upstream: Callable[[], tuple[str, int] | None],
        store: Callable[[], rules.Store | None],
        address: str | None = None,
        opening: Opening | None = None,
    ) -> None:
        self.name = name
        self._opening = opening
        self._upstream = upstream
        self._store = store
        if address is None:
            listener, address = bound_listener(port)
        else:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind((address, port))
            listener.listen(64)
        super().__init__(listener, address, port, f"guard-{name}")

    def serve(self, connection: socket.socket, peer: tuple[str, int]) -> None:
        if not admitted(connection, peer, (self.address, self.port), self._store(), self.name):
            return
        first = b""
        if self._opening is not None:
            try:
                first = self._opening(connection, peer)
            except (OSError, ConnectionError, ValueError):
                connection.close()
                return
            if first is None:
                return
        upstream = self._upstream()
        if upstream is None:
            connection.close()
            return
        try:
            server = socket.create_connection(upstream, timeout=10)
            server.settimeout(None)
            server.sendall(first)
        except OSError:
            connection.close()
            return
        relay(connection, server)
