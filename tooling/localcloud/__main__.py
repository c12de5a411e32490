"""Command line: python -m tooling.localcloud {start,stop,status,env} [--port N]."""

from __future__ import annotations

import argparse
import os
import sys

from .control import LocalCloud, LocalCloudError, healthy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tooling.localcloud", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "env"])
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOCALCLOUD_PORT", "4566")))
    args = parser.parse_args(argv)
    cloud = LocalCloud(port=args.port)
    if args.command == "start":
        try:
            cloud.start()
        except LocalCloudError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        print(f"local cloud running at {cloud.endpoint} (pid {cloud.pid()}, log {cloud.log_file})")
    elif args.command == "stop":
        print("local cloud stopped" if cloud.stop() else "local cloud was not running")
    elif args.command == "status":
        up = cloud.pid() is not None and healthy(cloud.endpoint)
        print(f"local cloud {'running at ' + cloud.endpoint if up else 'not running'}")
        return 0 if up else 3
    else:
        for key, value in cloud.environment().items():
            print(f"export {key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
