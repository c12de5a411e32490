"""Who is on the other end of a loopback connection, as a VPC would see it.

Everything here shares one loopback network, so a connection's source says nothing by itself. What does:
- a function's execution environment is a worker process; the kernel knows which process owns the client
  end of a connection (/proc/net/tcp gives the socket's inode for its address pair, /proc/<pid>/fd names
  the sockets a process holds), and the worker's function names its VPC, subnets and security groups;
- the local cloud's own hops (an RDS Proxy reaching its database) claim their outgoing sockets.

A connection from neither (a test, an operator's tool) stands for an operator's session from inside the
network (Session Manager port forwarding in AWS): no placement, and the network rules do not apply.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

Address = tuple[str, int]


@dataclass(frozen=True)
class Placement:
    """Where a network interface sits: its VPC, subnets and security groups ("" VPC: outside any VPC)."""

    account: str
    region: str
    vpc_id: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...]
    who: str  # for messages: "function orders", "DB proxy reports"
    pid: int | None = None  # a worker's process: its connections end with it

    @property
    def in_vpc(self) -> bool:
        return bool(self.vpc_id)


_lock = threading.Lock()
_workers: dict[int, Placement] = {}  # worker pid -> its function's placement (in a VPC or not)
_claims: dict[Address, Placement] = {}  # the local cloud's own outgoing sockets


def register_worker(pid: int, placement: Placement) -> None:
    with _lock:
        _workers[pid] = placement


def forget_worker(pid: int) -> None:
    with _lock:
        _workers.pop(pid, None)


def vpc_workers() -> bool:
    """Whether any running function is attached to a VPC (the front door's fast path when none is)."""
    with _lock:
        return any(p.in_vpc for p in _workers.values())


@contextmanager
def connection_from(where: Placement, upstream: Address, timeout_s: float = 10.0) -> Iterator[socket.socket]:
    """A connection the local cloud makes itself on behalf of `where` (a proxy's hop to its database): its
    source address is claimed before it connects, so the far end sees who it is from the first byte."""
    connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        connection.bind(("127.0.0.1", 0))
        address = connection.getsockname()[:2]
        with _lock:
            _claims[address] = where
        try:
            connection.settimeout(timeout_s)
            connection.connect(upstream)
            connection.settimeout(None)
            yield connection
        finally:
            with _lock:
                _claims.pop(address, None)
    finally:
        connection.close()


def claimed(address: Address) -> bool:
    """Whether a connection from `address` is one of the local cloud's own hops (`connection_from`)."""
    with _lock:
        return address in _claims


def _proc_hex(address: Address) -> str:
    ip, port = address
    return f"{int.from_bytes(socket.inet_aton(ip), sys.byteorder):08X}:{port:04X}"


def _socket_inode(client: Address, server: Address) -> str | None:
    """The inode of the client end of the connection client -> server."""
    local, remote = _proc_hex(client), _proc_hex(server)
    try:
        with open("/proc/net/tcp", encoding="ascii") as table:
            next(table)
            for line in table:
                fields = line.split()
                if fields[1] == local and fields[2] == remote:
                    return fields[9]
    except OSError:
        return None
    return None


def _holds(pid: int, link: str) -> bool:
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == link:
                    return True
            except OSError:
                continue
    except OSError:
        forget_worker(pid)  # the process is gone
    return False


def client_of(client: Address, server: Address, *, vpc_only: bool = False) -> Placement | None:
    """The placement of the client end of a connection: a claim, else the function whose worker holds the
    socket (`vpc_only`: only functions attached to a VPC are looked for); None for anyone else."""
    with _lock:
        claim = _claims.get(client)
        candidates = [(pid, p) for pid, p in _workers.items() if p.in_vpc or not vpc_only]
    if claim is not None:
        return claim
    if not candidates:
        return None
    inode = _socket_inode(client, server)
    if inode is None:
        return None
    link = f"socket:[{inode}]"
    for pid, placement in candidates:
        if _holds(pid, link):
            return placement
    return None


def alive(placement: Placement) -> bool:
    """Whether a worker's process still runs (always True for a placement without one)."""
    return placement.pid is None or os.path.exists(f"/proc/{placement.pid}")
