"""RDS Proxy endpoints that clients connect through: a listener per DB proxy, forwarding to its target's
database in the local cloud's PostgreSQL server (postgres.py).

An RDS Proxy endpoint is a host name clients reach on the engine's port (5432 for PostgreSQL: the API
answers no port). Each local proxy therefore gets a loopback address of its own (127.0.x.y; all of
127/8 is loopback) and listens on 5432 there, so a client connects with exactly the host and port it
would use in AWS.

What the proxy refuses, as RDS Proxy does: a client without TLS when `RequireTLS` is on (PostgreSQL's
error message, SQLSTATE 28000), and every client while the proxy cannot serve: no target registered, or
a proxy role that may not read its credentials (then `DescribeDBProxyTargets` reports the target
`UNAVAILABLE` with `AUTH_FAILURE`), and a login as a user none of its auth secrets holds credentials for
("This RDS proxy has no credentials for the role ..."). Otherwise the session goes through: the client
logs in with the credentials of one of the proxy's secrets, as in AWS (the password is checked by the
database here, by the proxy against the secret in AWS: the same answer while the two agree).

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
from localcloud.rds.wire import SSL_REQUEST, fatal, read_exactly, refuse, startup
from localcloud.vpc import placement as network
from localcloud.vpc.guard import admitted
from localcloud.vpc.rules import Store

POSTGRES_PORT = 5432


class ProxyUnavailable(RuntimeError):
    """No loopback address could be given to a proxy."""


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
        users: Callable[[], set[str]],
    ) -> None:
        self.name = name
        self._users = users
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

    def _login_refusal(self, parameters: dict[str, str] | None) -> str | None:
        """RDS Proxy logs a client in only as a user one of its auth secrets holds credentials for."""
        if parameters is None:
            return None  # a cancel request
        user = parameters.get("user")
        if not user:
            return "A user name is missing from the connection startup packet. Provide a user name for this connection."
        if user not in self._users():
            return f"This RDS proxy has no credentials for the role {user}. Check the credentials for this role and try again."
        return None

    def serve(self, client: socket.socket, peer: tuple[str, int]) -> None:
        store = Store(self._where(), POSTGRES_PORT)
        if not admitted(client, peer, (self.address, POSTGRES_PORT), store, f"DB proxy {self.name}"):
            return
        try:
            header = read_exactly(client, 8)
            length, code = struct.unpack("!II", header)
            if code != SSL_REQUEST and self._require_tls():
                refuse(client, length, f"This RDS Proxy requires TLS connections (proxy {self.name})", "28000")
                return
            upstream, reason = self._target()
            if upstream is None:
                if code == SSL_REQUEST:
                    client.close()  # before TLS no message reaches a client that insists on it
                else:
                    refuse(client, length, reason, "08001")
                return
        except (OSError, ConnectionError, struct.error, ssl.SSLError):
            client.close()
            return
        try:
            if code == SSL_REQUEST:
                # The proxy's own hop to the database stays on loopback in plain text: over a second TLS
                # session the server would offer SCRAM channel binding to a certificate the client never saw.
                client.sendall(b"S")
                client = self._server_tls.wrap_socket(client, server_side=True)
                message, parameters = startup(client)
            else:
                message, parameters = startup(client, header)
            refusal = self._login_refusal(parameters)
            if refusal:
                fatal(client, refusal)
                return
            with network.connection_from(self._where(), upstream) as server:
                server.sendall(message)
                relay(client, server)
        except (OSError, ssl.SSLError, ValueError, struct.error):
            client.close()
