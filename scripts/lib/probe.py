"""Ask a database server for its version with nothing but the standard library.

The servers script must report versions before any virtualenv or client library exists (fresh
machine, GitHub runner), so it speaks just enough of each wire protocol: the PostgreSQL startup
exchange (trust auth only, which is how every server of this workspace is configured) and the
MySQL/MariaDB initial handshake, which carries the version before any authentication.
"""

from __future__ import annotations

import socket
import ssl
import struct
from dataclasses import dataclass


@dataclass
class ProbeResult:
    up: bool
    version: str = ""
    product: str = ""
    detail: str = ""  # why it is not up (or a warning), for humans
    taken: bool = False  # the port answers, but not with the server we manage there


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("server closed the connection")
        buf += chunk
    return buf


def postgres_tls_enabled(host: str, port: int, timeout: float = 3.0) -> bool:
    """True when the server answers an SSLRequest with 'S' (TLS available)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(struct.pack("!II", 8, 80877103))
            return _recv_exact(sock, 1) == b"S"
    except OSError:
        return False


def probe_postgres(
    host: str, port: int, user: str, database: str, timeout: float = 3.0
) -> ProbeResult:
    """Connect as `user` to `database` and read the server_version parameter."""
    params = f"user\0{user}\0database\0{database}\0\0".encode()
    startup = struct.pack("!II", 8 + len(params), 196608) + params
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.sendall(startup)
            version = ""
            while True:
                kind = _recv_exact(sock, 1)
                (length,) = struct.unpack("!I", _recv_exact(sock, 4))
                body = _recv_exact(sock, length - 4)
                if kind == b"R":
                    (code,) = struct.unpack("!I", body[:4])
                    if code != 0:
                        return ProbeResult(
                            False,
                            detail="server asks for a password (expected trust auth on 127.0.0.1)",
                        )
                elif kind == b"S":
                    name, value = body.split(b"\0")[:2]
                    if name == b"server_version":
                        version = value.decode().split()[0]
                elif kind == b"E":
                    fields = {f[:1]: f[1:].decode(errors="replace") for f in body.split(b"\0") if f}
                    return ProbeResult(False, detail=fields.get(b"M", "error"))
                elif kind == b"Z":
                    sock.sendall(b"X" + struct.pack("!I", 4))
                    return ProbeResult(True, version=version, product="postgresql")
    except (OSError, ConnectionError) as exc:
        return ProbeResult(False, detail=str(exc) or type(exc).__name__)


def probe_mysql(host: str, port: int, timeout: float = 3.0) -> ProbeResult:
    """Read the version string from the initial handshake (MySQL and MariaDB alike)."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            header = _recv_exact(sock, 4)
            payload = _recv_exact(sock, int.from_bytes(header[:3], "little"))
    except (OSError, ConnectionError) as exc:
        return ProbeResult(False, detail=str(exc) or type(exc).__name__)
    if payload[:1] == b"\xff":  # error packet: errno(2) [#sqlstate(6)] message
        message = payload[3:].decode(errors="replace").lstrip("#")
        return ProbeResult(False, detail=message)
    raw = payload[1 : payload.index(b"\0", 1)].decode(errors="replace")
    # MariaDB < 11 prefixes "5.5.5-" for old replication clients.
    version = raw.removeprefix("5.5.5-")
    product = "mariadb" if "mariadb" in version.lower() else "mysql"
    return ProbeResult(True, version=version.split("-")[0], product=product)


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _tls_check(sock: socket.socket, host: str, ca: str) -> str | None:
    context = ssl.create_default_context(cafile=ca)
    try:
        with context.wrap_socket(sock, server_hostname=host):
            return None
    except ssl.SSLError as exc:
        return f"TLS certificate not accepted with CA {ca}: {exc.reason or exc}"


def tls_problem(family: str, host: str, port: int, ca: str, timeout: float = 3.0) -> str | None:
    """None when the server completes a TLS handshake verified against `ca`, else why not.

    Tells our TLS instance apart from one another checkout started on the same port with a
    different CA, whose certificate our tests could not verify.
    """
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        return str(exc)
    with sock:
        try:
            if family == "postgres":
                sock.sendall(struct.pack("!II", 8, 80877103))
                if _recv_exact(sock, 1) != b"S":
                    return "server does not offer TLS"
            else:  # MySQL protocol: handshake, then an SSLRequest packet, then TLS
                header = _recv_exact(sock, 4)
                greeting = _recv_exact(sock, int.from_bytes(header[:3], "little"))
                end = greeting.index(b"\0", 1) + 1 + 4 + 8 + 1  # version, thread id, salt
                if not int.from_bytes(greeting[end : end + 2], "little") & 0x800:
                    return "server does not offer TLS"
                flags = 0x800 | 0x200 | 0x8000  # CLIENT_SSL | PROTOCOL_41 | SECURE_CONNECTION
                body = struct.pack("<IIB23x", flags, 1 << 24, 45)
                sock.sendall(len(body).to_bytes(3, "little") + b"\x01" + body)
            return _tls_check(sock, host, ca)
        except (OSError, ConnectionError) as exc:
            return str(exc) or type(exc).__name__
