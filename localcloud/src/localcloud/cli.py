"""The `localcloud` command: {start,stop,status,env,url API_ID|DISTRIBUTION_ID [--stage S],traces [--minutes M]
[--limit K] [--filter EXPR]} [--port N]."""

from __future__ import annotations

import argparse
import sys

from localcloud.apigateway.urls import local_url
from localcloud.control import LocalCloud, LocalCloudError, healthy, resolve_port


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="localcloud", description=__doc__)
    parser.add_argument("command", choices=["start", "stop", "status", "env", "url", "traces"])
    parser.add_argument("api_id", nargs="?", help="with url: the REST API's id, or a CloudFront distribution's")
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
        print(distribution_url(cloud, args.api_id) or local_url(cloud.endpoint, args.api_id, args.stage))
    else:
        for key, value in cloud.environment().items():
            print(f"export {key}={value}")
    return 0


def distribution_url(cloud: LocalCloud, resource_id: str) -> str | None:
    """Where a browser opens a distribution on the local edge (`*.localhost` resolves to loopback, and the edge's
    certificate names `*.cloudfront.localhost`); None when no distribution has this id."""
    import json
    import urllib.parse
    import urllib.request

    if not resource_id.isupper() or not healthy(cloud.endpoint):
        return None  # API ids are lower case, distribution ids upper case
    try:
        domain = cloud.client("cloudfront").get_distribution(Id=resource_id)["Distribution"]["DomainName"]
    except Exception:  # no such distribution: the id is an API's
        return None
    with urllib.request.urlopen(f"{cloud.endpoint}/_localcloud/cloudfront/edge", timeout=10) as answer:
        port = urllib.parse.urlsplit(json.loads(answer.read())["https"]).port
    return f"https://{domain.split('.')[0]}.cloudfront.localhost:{port}/"


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
