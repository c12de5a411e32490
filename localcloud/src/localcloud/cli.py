"""The `localcloud` command: {start,stop,status,env,url API_ID [--stage S],traces [--minutes M] [--limit K]
[--filter EXPR]} [--port N]."""

from __future__ import annotations

import argparse
import sys

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud, LocalCloudError, healthy, resolve_port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="localcloud", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "env", "url", "traces"])
    parser.add_argument("api_id", nargs="?", help="with url: the REST API's id")
    parser.add_argument("--stage", default="v1", help="with url: the stage (default v1)")
    parser.add_argument("--minutes", type=float, default=5, help="with traces: how far back (default 5)")
    parser.add_argument("--limit", type=int, default=5, help="with traces: how many, newest first (default 5)")
    parser.add_argument("--filter", default=None, help='with traces: an X-Ray filter expression, e.g. "fault"')
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
    elif args.command == "traces":
        return _print_traces(cloud, args.minutes, args.limit, args.filter)
    elif args.command == "url":
        if not args.api_id:
            parser.error("url needs the REST API's id: localcloud url API_ID --stage v1")
        print(local_url(cloud.endpoint, args.api_id, args.stage))
    else:
        for key, value in cloud.environment().items():
            print(f"export {key}={value}")
    return 0


def _print_traces(cloud: LocalCloud, minutes: float, limit: int, expression: str | None) -> int:
    import boto3

    from localcloud.xray import timeline

    if not healthy(cloud.endpoint):
        print(f"error: no local cloud answers at {cloud.endpoint}", file=sys.stderr)
        return 3
    environment = cloud.environment()
    xray = boto3.client(
        "xray",
        endpoint_url=cloud.endpoint,
        region_name=environment.get("AWS_DEFAULT_REGION", "us-east-1"),
        aws_access_key_id=environment.get("AWS_ACCESS_KEY_ID", "localcloud"),
        aws_secret_access_key=environment.get("AWS_SECRET_ACCESS_KEY", "localcloud"),
    )
    rendered = timeline.latest(xray, minutes, limit, expression)
    print("\n\n".join(rendered) if rendered else f"no complete traces in the last {minutes:g} minutes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
