"""The edge's HTTPS listener: viewers reach distributions over TLS, as they do CloudFront.

CloudFront's viewers connect with HTTPS, and a behaviour's viewer protocol policy decides what a plain HTTP
viewer gets (a 301 to https, or a 403). Locally the edge also listens with TLS on a loopback port of its own,
with a certificate from the local cloud's authority for `*.cloudfront.net`, `*.cloudfront.localhost`,
localhost and 127.0.0.1, so a client that trusts the authority (`GET /_localcloud/tls/ca.pem`) verifies it;
a browser told to map `*.cloudfront.net` to that port reaches a distribution by its real domain name.
`GET /_localcloud/cloudfront/edge` says where it listens. Only distributions are served there.
"""

from __future__ import annotations

import os
import ssl
import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from localcloud.core.tls import CertificateAuthority

PORT_VARIABLE = "LOCALCLOUD_EDGE_HTTPS_PORT"  # default: any free port


def serve(edge: Any, authority: CertificateAuthority) -> tuple[str, Callable[[], None]]:
    """Start the listener; its URL and how to stop it."""
    issued = authority.issue("cloudfront-edge", ("127.0.0.1",), ("*.cloudfront.net", "*.cloudfront.localhost"))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(issued.certificate, issued.key)

    def only_distributions(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        dist = edge.target(environ)
        if dist is None:
            answer = Response(b"no distribution has this domain name", status=404, content_type="text/plain")
            return answer(environ, start_response)
        return edge.answer(dist, environ, start_response)

    server = make_server(
        "127.0.0.1", int(os.environ.get(PORT_VARIABLE) or 0), only_distributions, threaded=True, ssl_context=context
    )
    threading.Thread(target=server.serve_forever, name="cloudfront-https", daemon=True).start()
    return f"https://127.0.0.1:{server.server_port}", server.shutdown
