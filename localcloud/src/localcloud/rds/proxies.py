"""RDS Proxy endpoints that clients connect through: a listener per DB proxy, forwarding to its target's
database in the local cloud's PostgreSQL server (postgres.py).

An RDS Proxy endpoint is a host name clients reach on the engine's port (5432 for PostgreSQL: the API
answers no port). Each local proxy therefore gets a loopback address of its own (127.0.x.y; all of
127/8 is loopback) and listens on 5432 there, so a client connects with exactly the host and port it
would use in AWS.

What the proxy refuses, as RDS Proxy does: a client without TLS when `RequireTLS` is on (PostgreSQL's
error message, SQLSTATE 28000), and every client while the proxy cannot serve: no target registered, or
a proxy role that may not read its credentials (then `DescribeDBProxyTargets` reports the target
`UNAVAILABLE` with `AUTH_FAILURE`). Otherwise the session goes through: the client logs in with the
credentials of the proxy's secret, as in AWS.

TLS ends at the proxy, as it does at RDS Proxy, with a certificate for the proxy's address from the local
cloud's authority (tls.py), which functions trust as they trust ACM's in AWS: a client that verifies the
server (`verify-full`) connects through a proxy with its default trust store, no RDS CA bundle. The
proxy's own hop to the database is loopback, in plain text (AWS's is TLS inside the VPC).
"""

from __future__ import annotations

import socket
import ssl
import struct
from collections.abc import Callable

from localcloud.core.loopback import LoopbackServer, bound_listener, relay
from localcloud.core.tls import CertificateAuthority
from localcloud.vpc import placement as network
from localcloud.vpc.guard import admitted
from localcloud.vpc.rules import Store

POSTGRES_PORT = 5432
SSL_REQUEST = 80877103


class ProxyUnavailable(RuntimeError):
    """No loopback address could be given to a proxy."""


def error_response(message: str, code: str = "28000") -> bytes:
    """A PostgreSQL ErrorResponse (FATAL), as a server answers a startup it refuses."""
    fields = b"SFATAL\0VFATAL\0C" + code.encode() + b"\0M" + message.encode() + b"\0\0"
    return b"E" + struct.pack("!I", len(fields) + 4) + fields


def _read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client closed the connection")
        data += chunk
    return data


class ProxyEndpoint(LoopbackServer):
    """One proxy's listener. `target` gives the database's address, or None and the reason it cannot serve;
    `where` the proxy's own network placement: its security groups admit clients, and its hop to the
    database must be admitted by the database's."""

    def __init__(
        self,
        name: str,
        require_tls: Callable[[], bool],
        target: Callable[[], tuple[tuple[str, int] | None, str]],
        authority: CertificateAuthority,
        where: Callable[[], network.Placement],
    ) -> None:
        self.name = name
        self._require_tls = require_tls
        self._target = target
        self._where = where
        try:
            listener, address = bound_listener(POSTGRES_PORT)
        except OSError as error:
            raise ProxyUnavailable(str(error)) from error
        issued = authority.issue(f"proxy-{address}", (address,))
        self._server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._server_tls.load_cert_chain(issued.certificate, issued.key)
        super().__init__(listener, address, POSTGRES_PORT, f"db-proxy-{name}")

    def serve(self, client: socket.socket, peer: tuple[str, int]) -> None:
        store = Store(self._where(), POSTGRES_PORT)
        if not admitted(client, peer, (self.address, POSTGRES_PORT), store, f"DB proxy {self.name}"):
            return
        try:
            header = _read_exactly(client, 8)
            length, code = struct.unpack("!II", header)
            if code != SSL_REQUEST and self._require_tls():
                self._refuse(client, length, f"This RDS Proxy requires TLS connections (proxy {self.name})", "28000")
                return
            upstream, reason = self._target()
            if upstream is None:
                if code == SSL_REQUEST:
                    client.close()  # before TLS no message reaches a client that insists on it
                else:
                    self._refuse(client, length, reason, "08001")
                return
        except (OSError, ConnectionError, struct.error, ssl.SSLError):
            client.close()
            return
        try:
            with network.connection_from(self._where(), upstream) as server:
                if code == SSL_REQUEST:
                    # The proxy's own hop to the database stays on loopback in plain text: over a second TLS
                    # session the server would offer SCRAM channel binding to a certificate the client never saw.
                    client.sendall(b"S")
                    client = self._server_tls.wrap_socket(client, server_side=True)
                else:
                    server.sendall(header)
                relay(client, server)
        except (OSError, ssl.SSLError):
            client.close()

    @staticmethod
    def _refuse(client: socket.socket, length: int, message: str, code: str) -> None:
        """Answer a plain-text startup with an error: read all of it first (closing on unread data resets the
        connection before the client reads the error)."""
        _read_exactly(client, max(0, length - 8))
        client.sendall(error_response(message, code))
        client.shutdown(socket.SHUT_WR)
        client.close()
