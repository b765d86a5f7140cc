"""A throwaway certificate authority and server certificate for the local TLS instances.

Made with the openssl CLI so the servers script needs no Python packages. The extensions
satisfy strict verifiers (Python 3.13's VERIFY_X509_STRICT, libpq verify-full, MariaDB
Connector/C): CA with critical basicConstraints and keyUsage, server certificate with key
identifiers and a subjectAltName for both 127.0.0.1 and localhost.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

_CA_EXT = [
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-addext",
    "subjectKeyIdentifier=hash",
]
_SERVER_EXT = """\
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=DNS:localhost,IP:127.0.0.1
"""


def _openssl(*args: str, cwd: Path) -> None:
    proc = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if proc.returncode:
        raise RuntimeError(f"openssl {args[0]} failed: {proc.stderr.strip()[-400:]}")


def ensure_certs(directory: Path) -> dict[str, Path]:
    """Create ca.pem, server.pem and server-key.pem in `directory` unless they exist."""
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "ca": directory / "ca.pem",
        "cert": directory / "server.pem",
        "key": directory / "server-key.pem",
    }
    if all(p.exists() for p in files.values()):
        return files
    _openssl(
        "req",
        "-x509",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-days",
        "3650",
        "-subj",
        "/CN=rhosocial-activerecord local test CA",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
        *_CA_EXT,
        cwd=directory,
    )
    _openssl(
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-sha256",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server-key.pem",
        "-out",
        "server.csr",
        cwd=directory,
    )
    (directory / "server.ext").write_text(_SERVER_EXT)
    _openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "3650",
        "-sha256",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
        cwd=directory,
    )
    (directory / "ca-key.pem").chmod(0o600)
    (directory / "server-key.pem").chmod(0o600)
    return files
