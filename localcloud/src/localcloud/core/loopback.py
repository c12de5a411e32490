"""Loopback addresses of their own for endpoints AWS serves on a fixed port (an RDS Proxy on 5432, a
replication group's primary and reader on 6379): all of 127/8 is loopback on Linux, so each endpoint
gets an address where that port is free, and clients use exactly the port they would use in AWS."""

from __future__ import annotations

import random
import select
import socket
import ssl
import threading

ATTEMPTS = 200


def bound_listener(port: int) -> tuple[socket.socket, str]:
    """A listening socket on `port` at a loopback address no one else uses for it."""
    for _ in range(ATTEMPTS):
        address = f"127.0.{random.randint(1, 254)}.{random.randint(1, 254)}"
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((address, port))
        except OSError:
            listener.close()
            continue
        listener.listen(64)
        return listener, address
    raise OSError(f"no loopback address with port {port} free after {ATTEMPTS} attempts")


def free_port() -> int:
    """A port free now on 127.0.0.1, for a server that binds it itself."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_address(port: int) -> str:
    """A loopback address where `port` is free now, for a server that binds it itself."""
    listener, address = bound_listener(port)
    listener.close()
    return address


BUFFER = 65536


def relay(one: socket.socket, other: socket.socket) -> None:
    """Copy both ways until either side closes. One thread: a TLS socket may not be read and written from two
    threads at once; what TLS already decrypted (`pending`) is served before waiting on the sockets."""
    peers = {one: other, other: one}
    try:
        while True:
            ready = [s for s in peers if isinstance(s, ssl.SSLSocket) and s.pending()]
            if not ready:
                ready = select.select(list(peers), [], [])[0]
            for source in ready:
                chunk = source.recv(BUFFER)
                if not chunk:
                    return
                peers[source].sendall(chunk)
    except (OSError, ssl.SSLError):
        pass
    finally:
        for end in peers:
            try:
                end.close()
            except OSError:
                pass


class LoopbackServer:
    """A listening socket whose every connection is served on a thread of its own (`serve`), until closed."""

    def __init__(self, listener: socket.socket, address: str, port: int, thread_name: str) -> None:
        self._listener, self.address, self.port = listener, address, port
        self._closed = threading.Event()
        threading.Thread(target=self._accept, name=thread_name, daemon=True).start()

    def serve(self, connection: socket.socket, peer: tuple[str, int]) -> None:
        raise NotImplementedError

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, peer = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(connection, peer[:2]), daemon=True).start()

    def close(self) -> None:
        self._closed.set()
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept; close alone does not
        except OSError:
            pass
        try:
            self._listener.close()
        except OSError:
            pass
