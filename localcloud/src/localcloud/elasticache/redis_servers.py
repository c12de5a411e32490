"""Real Redis servers where AWS has ElastiCache: a cache is `redis-server` processes.

Each server is the distribution's redis-server (`make install` installs it where it is missing). A
serverless cache is one server on a free loopback port, serving TLS only, as ElastiCache Serverless
does (a plain-text connection is refused). A replication group's primary and its read replica are two
servers, each on a loopback address of its own at the group's port, the replica replicating from the
primary and refusing writes, with TLS and the AUTH token as the group is configured. Certificates come
from the local cloud's authority (tls.py). Nothing is persisted: deleting the cache, or stopping the
local cloud, ends its servers and their data.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from localcloud.core.loopback import free_address, free_port
from localcloud.core.tls import CertificateAuthority
from localcloud.vpc.guard import GuardedEndpoint
from localcloud.vpc.rules import Store

START_TIMEOUT_S = 15.0


class RedisUnavailable(RuntimeError):
    """No redis-server on this machine, or it would not start."""


def _listening(address: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((address, port)) == 0


@dataclass(frozen=True)
class ServerOptions:
    port: int | None = None  # None: a free port on 127.0.0.1; else this port on an address of its own
    tls: bool = True
    password: str | None = None  # AUTH token (requirepass)
    replica_of: tuple[str, int] | None = None  # the primary this server replicates, read-only
    # Where the cache sits: clients reach the endpoint through a guard its security groups decide.
    store: Callable[[], Store | None] | None = None
    # A second port of the same address (a serverless cache's reader endpoint, 6380), guarded the same way.
    reader_port: int | None = None


class RedisServers:
    def __init__(self, state_dir: Path, authority: CertificateAuthority) -> None:
        self._root = state_dir / "redis"
        self.authority = authority
        self._servers: dict[str, tuple[subprocess.Popen[bytes], str, int]] = {}
        self._guards: dict[str, list[GuardedEndpoint]] = {}
        self._lock = threading.Lock()

    def start(self, name: str, options: ServerOptions = ServerOptions()) -> tuple[str, int]:
        """Start server `name` (once); its address and port."""
        with self._lock:
            if name in self._servers:
                return self._servers[name][1:]
            binary = shutil.which("redis-server")
            if binary is None:
                raise RedisUnavailable(
                    "redis-server is not installed: `make install` installs Debian's redis-server "
                    "package (the local cloud runs ElastiCache caches on it)"
                )
            directory = self._root / name
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir(parents=True)
            if options.port is None:
                address, port = "127.0.0.1", free_port()
            else:
                address, port = free_address(options.port), options.port
            # With a guard, the server listens behind it on an address only the guard uses.
            bind, bind_port = ("127.0.0.1", free_port()) if options.store is not None else (address, port)
            command = [
                binary,
                "--bind",
                bind,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
                "--daemonize",
                "no",
                "--logfile",
                str(directory / "server.log"),
            ]
            if options.tls:
                certificate = self.authority.issue(f"cache-{address}-{port}", tuple(sorted({address, bind})))
                command += [
                    "--port",
                    "0",
                    "--tls-port",
                    str(bind_port),
                    "--tls-cert-file",
                    str(certificate.certificate),
                    "--tls-key-file",
                    str(certificate.key),
                    "--tls-ca-cert-file",
                    str(self.authority.certificate),
                    "--tls-auth-clients",
                    "no",
                ]
            else:
                command += ["--port", str(bind_port)]
            if options.password:
                command += ["--requirepass", options.password, "--masterauth", options.password]
            if options.replica_of:
                command += ["--replicaof", options.replica_of[0], str(options.replica_of[1])]
                if options.tls:
                    command += ["--tls-replication", "yes"]
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            deadline = time.monotonic() + START_TIMEOUT_S
            while not _listening(bind, bind_port):
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    log = directory / "server.log"
                    raise RedisUnavailable(
                        f"redis-server for {name} did not start: "
                        f"{log.read_text()[-1000:] if log.exists() else 'no log'}"
                    )
                time.sleep(0.05)
            self._servers[name] = (process, address, port)
            if options.store is not None:
                upstream = (bind, bind_port)
                ports = [port] + ([options.reader_port] if options.reader_port else [])
                self._guards[name] = [
                    GuardedEndpoint(f"cache {name}", p, upstream=lambda: upstream, store=options.store, address=address)
                    for p in ports
                ]
            return address, port

    def stop(self, name: str) -> None:
        with self._lock:
            found = self._servers.pop(name, None)
            guards = self._guards.pop(name, [])
        for guard in guards:
            guard.close()
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
