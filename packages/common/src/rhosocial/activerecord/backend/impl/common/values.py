"""Text -> typed value, for settings that come from an URL, the environment or an option file.

Each converter takes the setting's *source name* (``PGPORT``, ``?sslmode=``, ``port`` in
``~/.my.cnf``) and its text, and raises ``ValueError`` naming that source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .timeouts import validate_timeout

__all__ = [
    "Converter",
    "as_str",
    "as_port",
    "as_int",
    "as_bool",
    "as_seconds",
    "one_of",
    "POSTGRES_SSL_MODES",
    "MYSQL_SSL_MODES",
    "as_postgres_ssl_mode",
    "as_mysql_ssl_mode",
]

Converter = Callable[[str, str], object]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def as_str(name: str, text: str) -> str:
    return text


def as_port(name: str, text: str) -> int:
    """A TCP port, 1-65535."""
    try:
        port = int(text.strip())
    except ValueError:
        raise ValueError(f"{name} must be a port number (1-65535), got {text!r}") from None
    if not 0 < port < 65536:
        raise ValueError(f"{name} must be a port number (1-65535), got {text!r}")
    return port


def as_int(name: str, text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{name} must be a whole number, got {text!r}") from None


def as_bool(name: str, text: str) -> bool:
    word = text.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError(f"{name} must be one of true/false, yes/no, on/off, 1/0, got {text!r}")


def as_seconds(name: str, text: str) -> float:
    seconds = validate_timeout(name, text)
    assert seconds is not None  # text is a str, never None
    return seconds


def one_of(choices: Iterable[str]) -> Converter:
    """A converter accepting only ``choices`` (compared in lower case)."""
    allowed = tuple(choices)

    def convert(name: str, text: str) -> str:
        word = text.strip().lower()
        if word not in allowed:
            raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {text!r}")
        return word

    return convert


#: libpq's sslmode values and the MySQL family's ssl_mode values (case-insensitive on input).
POSTGRES_SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
MYSQL_SSL_MODES = ("disabled", "preferred", "required", "verify_ca", "verify_identity")
as_postgres_ssl_mode = one_of(POSTGRES_SSL_MODES)
as_mysql_ssl_mode = one_of(MYSQL_SSL_MODES)
