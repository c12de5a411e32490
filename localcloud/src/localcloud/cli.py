"""The `localcloud` command: {start,stop,status,env,url API_ID [--stage S]} [--port N]."""

from __future__ import annotations

import argparse
import sys

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud, LocalCloudError, healthy, resolve_port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="localcloud", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "env", "url"])
    parser.add_argument("api_id", nargs="?", help="with url: the REST API's id")
    parser.add_argument("--stage", default="v1", help="with url: the stage (default v1)")
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="default: LOCALCLOUD_PORT, else the one local cloud running from this checkout, else 4566",
    )
    args = parser.parse_args(argv)
    cloud = LocalCloud(port=resolve_port(args.port))
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
    elif args.command == "url":
        if not args.api_id:
            parser.error("url needs the REST API's id: localcloud url API_ID --stage v1")
        print(local_url(cloud.endpoint, args.api_id, args.stage))
    else:
        for key, value in cloud.environment().items():
            print(f"export {key}={value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
