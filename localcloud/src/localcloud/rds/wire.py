"""The first messages of PostgreSQL's wire protocol, as far as an endpoint in front of the server reads them:
enough to tell an encrypted session from a plain-text one and to refuse a startup with the server's own
error, as RDS and RDS Proxy refuse it."""

from __future__ import annotations

import socket
import struct

SSL_REQUEST = 80877103
GSSENC_REQUEST = 80877104
CANCEL_REQUEST = 80877102


def read_exactly(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the client closed the connection")
        data += chunk
    return data


def error_response(message: str, code: str = "28000") -> bytes:
    """A PostgreSQL ErrorResponse (FATAL), as a server answers a startup it refuses."""
    fields = b"SFATAL\0VFATAL\0C" + code.encode() + b"\0M" + message.encode() + b"\0\0"
    return b"E" + struct.pack("!I", len(fields) + 4) + fields


def startup_parameters(body: bytes) -> dict[str, str]:
    """The key/value pairs of a StartupMessage after its length and protocol version (user, database, ...)."""
    parts = body.split(b"\0")
    pairs = [p.decode("utf-8", "replace") for p in parts]
    return {pairs[i]: pairs[i + 1] for i in range(0, len(pairs) - 1, 2) if pairs[i]}


def fatal(connection: socket.socket, message: str, code: str = "28000") -> None:
    """Answer a startup already read in full with an error, and end the session."""
    try:
        connection.sendall(error_response(message, code))
        connection.shutdown(socket.SHUT_WR)
    except OSError:
        pass
    connection.close()


def refuse(connection: socket.socket, length: int, message: str, code: str) -> None:
    """Answer a startup whose header alone was read with an error: read the rest first (closing on unread
    data resets the connection before the client reads the error)."""
    read_exactly(connection, max(0, length - 8))
    fatal(connection, message, code)


def startup(connection: socket.socket, header: bytes | None = None) -> tuple[bytes, dict[str, str] | None]:
    """A whole startup message (to pass on) and its parameters (None for a cancel request); `header`: its
    first 8 bytes when they were read already."""
    header = header if header is not None else read_exactly(connection, 8)
    length, code = struct.unpack("!II", header)
    if length < 8 or length > 10_000:
        raise ValueError(f"not a PostgreSQL startup message (length {length})")
    body = read_exactly(connection, length - 8)
    return header + body, (None if code == CANCEL_REQUEST else startup_parameters(body))


def opening(connection: socket.socket, client_host: str, encryption_required: bool) -> bytes | None:
    """Read a session's first message: the bytes to pass on to the server, or None when it was refused here
    because it is a plain-text startup and the database requires encryption (`rds.force_ssl`), with the
    message PostgreSQL's pg_hba.conf gives RDS's clients. GSSAPI encryption, which RDS does not offer, is
    declined as the server declines it ('N'), and the client's next message read."""
    while True:
        header = read_exactly(connection, 8)
        length, code = struct.unpack("!II", header)
        if code == GSSENC_REQUEST:
            connection.sendall(b"N")
            continue
        if code in (SSL_REQUEST, CANCEL_REQUEST) or not encryption_required:
            return header
        parameters = startup_parameters(read_exactly(connection, max(0, length - 8)))
        user = parameters.get("user", "")
        database = parameters.get("database", user)
        fatal(
            connection,
            f'no pg_hba.conf entry for host "{client_host}", user "{user}", database "{database}", no encryption',
        )
        return None
