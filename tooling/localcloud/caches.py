"""Real Redis servers where AWS has ElastiCache: a serverless cache is a `redis-server` process.

Each cache gets its own server (the distribution's redis-server; `make install` installs it where it
is missing) on a free loopback port, serving TLS only, as ElastiCache Serverless does (a plain-text
connection is refused), with a certificate from the local cloud's authority (tls.py). Nothing is
persisted: deleting the cache, or stopping the local cloud, ends the server and its data.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from .tls import CertificateAuthority

START_TIMEOUT_S = 15.0


class RedisUnavailable(RuntimeError):
    """No redis-server on this machine, or it would not start."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class RedisServers:
    def __init__(self, state_dir: Path, authority: CertificateAuthority) -> None:
        self._root = state_dir / "redis"
        self.authority = authority
        self._servers: dict[str, tuple[subprocess.Popen[bytes], int]] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> int:
        """Start the server of cache `name` (once); its port."""
        with self._lock:
            if name in self._servers:
                return self._servers[name][1]
            binary = shutil.which("redis-server")
            if binary is None:
                raise RedisUnavailable("redis-server is not installed: `make install` installs Debian's redis-server "
                                       "package (the local cloud runs ElastiCache caches on it)")
            certificate = self.authority.issue("cache")
            directory = self._root / name
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            port = _free_port()
            process = subprocess.Popen(
                [binary, "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
                 "--tls-cert-file", str(certificate.certificate), "--tls-key-file", str(certificate.key),
                 "--tls-ca-cert-file", str(self.authority.certificate), "--tls-auth-clients", "no",
                 "--save", "", "--appendonly", "no", "--dir", str(directory), "--daemonize", "no",
                 "--logfile", str(directory / "server.log")],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _listening(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    log = directory / "server.log"
                    raise RedisUnavailable(f"redis-server for {name} did not start: "
                                           f"{log.read_text()[-1000:] if log.exists() else 'no log'}")
                time.sleep(0.05)
            self._servers[name] = (process, port)
            return port

    def stop(self, name: str) -> None:
        with self._lock:
            found = self._servers.pop(name, None)
        if found is not None:
            process = found[0]
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
            shutil.rmtree(self._root / name, ignore_errors=True)

    def stop_all(self) -> None:
        for name in list(self._servers):
            self.stop(name)
