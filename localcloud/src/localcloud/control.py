"""Start, stop and check the local cloud server (pid file, health check, log file)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Where a local cloud started from this folder keeps its pid file, log and state (LOCALCLOUD_STATE_DIR).
DEFAULT_STATE_DIR = Path(os.environ.get("LOCALCLOUD_STATE_DIR", ".localcloud")).absolute()


class LocalCloudError(Exception):
    """The local cloud did not start or stop as asked; the message says why."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(endpoint: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{endpoint}/_localcloud/health", timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


DEFAULT_PORT = 4566


def running_ports(state_dir: Path = DEFAULT_STATE_DIR) -> list[int]:
    """Ports of the local clouds started from this checkout whose server process is alive."""
    ports = []
    for pid_file in sorted(state_dir.glob("server-*.pid")):
        port = pid_file.stem.removeprefix("server-")
        if port.isdigit() and LocalCloud(port=int(port), state_dir=state_dir).pid() is not None:
            ports.append(int(port))
    return ports


def resolve_port(explicit: int | None = None, state_dir: Path = DEFAULT_STATE_DIR) -> int:
    """--port, else LOCALCLOUD_PORT, else the one local cloud running from this checkout, else 4566."""
    if explicit is not None:
        return explicit
    if os.environ.get("LOCALCLOUD_PORT"):
        return int(os.environ["LOCALCLOUD_PORT"])
    running = running_ports(state_dir)
    return running[0] if len(running) == 1 else DEFAULT_PORT


@dataclass
class LocalCloud:
    port: int
    state_dir: Path = DEFAULT_STATE_DIR
    host: str = "127.0.0.1"
    region: str = "us-east-1"  # the region clients of this handle (and Terraform) address

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.state_dir / f"server-{self.port}.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / f"server-{self.port}.log"

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text())
            os.kill(pid, 0)
            return pid
        except (FileNotFoundError, ValueError, ProcessLookupError):
            return None

    def start(self, timeout: float = 60.0) -> None:
        if self.pid() and healthy(self.endpoint):
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with socket.socket() as sock:
            if sock.connect_ex((self.host, self.port)) == 0:
                raise LocalCloudError(f"port {self.port} is taken by another program; set LOCALCLOUD_PORT")
        log = open(self.log_file, "ab")
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "localcloud.server",
                "--host",
                self.host,
                "--port",
                str(self.port),
                "--state-dir",
                str(self.state_dir.absolute()),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise LocalCloudError(
                    f"local cloud exited with {proc.returncode}; see {self.log_file}:\n"
                    + self.log_file.read_text()[-3000:]
                )
            if healthy(self.endpoint):
                return
            time.sleep(0.1)
        self.stop()
        raise LocalCloudError(f"local cloud not healthy after {timeout:.0f} s; see {self.log_file}")

    def stop(self, timeout: float = 15.0) -> bool:
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            try:  # reap it if it is our child
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        try:  # Lambda workers share the server's process group: none outlives it
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.pid_file.unlink(missing_ok=True)
        return True

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for this cloud (in its region unless `region_name` says another)."""
        import boto3

        env = self.environment()
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=kwargs.pop("region_name", env["AWS_REGION"]),
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
            **kwargs,
        )

    def signed_headers(
        self, method: str, url: str, body: str | bytes | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, str]:
        """The headers of a request SigV4-signed for execute-api with this cloud's credentials (AWS_IAM methods)."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials

        env = self.environment()
        request = AWSRequest(method=method, url=url, data=body, headers=headers or {})
        SigV4Auth(
            Credentials(env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]), "execute-api", env["AWS_REGION"]
        ).add_auth(request)
        return dict(request.headers.items())

    def environment(self) -> dict[str, str]:
        """What a client (boto3, Terraform's AWS provider) needs to target this cloud."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "localcloud",
            "AWS_SECRET_ACCESS_KEY": "localcloud",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
        }
