"""The way out of a VPC for a function's calls to AWS APIs: every request that reaches the local cloud from
a worker of a function attached to a VPC takes the way its subnets give it (rules.way_out). Through a VPC
endpoint, the endpoint's policy is evaluated with the caller's own policies (core/authorization.py);
with no way, the request gets no answer until the function times out, as a call with no route does in AWS.
"""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

from localcloud.core.authorization import ENDPOINT_POLICY, EndpointPath
from localcloud.core.http import signing_scope
from localcloud.vpc import placement, rules
from localcloud.vpc.guard import HOLD_S, LOG


def _wait_for_client_to_leave(environ: dict[str, Any], client: placement.Placement) -> None:
    """No answer: until the client closes the connection (its timeout), its worker ends, or HOLD_S pass."""
    connection = environ.get("werkzeug.socket")
    deadline = time.monotonic() + HOLD_S
    while time.monotonic() < deadline and placement.alive(client):
        if connection is not None:
            readable = select.select([connection], [], [], 0.2)[0]
            if readable:
                try:
                    if not connection.recv(1, socket.MSG_PEEK):
                        return
                except OSError:
                    return
                time.sleep(0.2)  # data the client sent after the request: wait on
        else:
            time.sleep(0.2)


class PrivateSubnets:
    """WSGI middleware: requests from functions in a VPC leave it the way their subnets allow, or not at all."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not placement.vpc_workers():
            return self.app(environ, start_response)
        try:
            peer = (str(environ["REMOTE_ADDR"]), int(environ["REMOTE_PORT"]))
            server = (str(environ["SERVER_NAME"]), int(environ["SERVER_PORT"]))
        except (KeyError, ValueError):
            return self.app(environ, start_response)
        client = placement.client_of(peer, server, vpc_only=True)
        if client is None:
            return self.app(environ, start_response)
        service, region = signing_scope(environ)
        way = rules.way_out(client, service, region)
        if isinstance(way, str):
            LOG.warning("network: %s cannot reach %s: %s", client.who, service or "the internet", way)
            _wait_for_client_to_leave(environ, client)
            start_response("504 Gateway Timeout", [("Content-Length", "0")])
            return [b""]
        through = None
        if way.endpoint_id is not None:
            keys = {"aws:SourceVpce": way.endpoint_id, "aws:SourceVpc": way.vpc_id}
            through = EndpointPath(way.endpoint_policy, keys)
        token = ENDPOINT_POLICY.set(through)
        try:
            return list(self.app(environ, start_response))
        finally:
            ENDPOINT_POLICY.reset(token)
