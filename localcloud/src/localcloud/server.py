"""The local cloud's server process: moto on loopback with our extensions.

Usage: python -m localcloud.server --port 4566 --state-dir .localcloud
(normally started by ``localcloud start``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4566)
    parser.add_argument("--state-dir", type=Path, default=Path(".localcloud"))
    parser.add_argument(
        "--async-retry-delay",
        type=float,
        default=float(os.environ.get("LOCALCLOUD_ASYNC_RETRY_DELAY", "0.5")),
        help="seconds between async retries (AWS waits 1 then 2 minutes)",
    )
    args = parser.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the local cloud listens on loopback only")

    # Read by moto at import time: AWS managed policies exist (AWSLambdaBasicExecutionRole...),
    # and Step Functions' Lambda tasks call back into this server (the iam extension checks the first).
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    os.environ["MOTO_PORT"] = str(args.port)

    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    from localcloud import registry
    from localcloud.endpoints import ControlEndpoints
    from localcloud.extension import Context
    from localcloud.lambda_.runner import LambdaRunner

    endpoint = f"http://{args.host}:{args.port}"
    args.state_dir.mkdir(parents=True, exist_ok=True)
    runner = LambdaRunner(endpoint, args.state_dir / "lambda")
    context = Context(endpoint, args.state_dir, args.async_retry_delay, runner)
    try:
        registry.install_all(context)
    except registry.UnsupportedMoto as exc:
        print(f"error: {exc}", file=sys.stderr, flush=True)
        return 2

    app = DomainDispatcherApplication(create_backend_app)
    for extension in registry.EXTENSIONS:
        if extension.middleware is not None:
            app = extension.middleware(app, context)
    app = ControlEndpoints(app, registry.endpoints(), context)
    server = make_server(args.host, args.port, app, threaded=True, request_handler=MotoRequestHandler)

    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"local cloud listening on {endpoint} (lambda runtimes: {' '.join(runner.runtimes.names())})", flush=True)
    try:
        server.serve_forever()
    finally:
        context.stop()
        runner.shutdown()
        print("local cloud stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
