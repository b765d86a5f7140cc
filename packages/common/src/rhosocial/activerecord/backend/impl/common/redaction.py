"""Secrets kept out of messages by construction.

Nothing here looks for a password inside a text to replace it: a replacement mangles any
message that happens to contain the password's text (``password="name"`` turned the column
``"name"`` into ``"***"``) and tells the reader what the password is. Instead, descriptions and
DSNs are built from the parts that are not secret, and the password is never given to them.

- :func:`describe_target`: ``user@host:port/database`` for messages and logs.
- :func:`conninfo_without_secrets`: a libpq-style ``key=value`` string without the secret keys.
- :func:`public_settings`: a settings mapping without its secret keys (for ``repr``, logging).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["SECRET_KEYS", "describe_target", "conninfo_without_secrets", "public_settings"]

#: Setting names whose values are never put into a message, a DSN we print, or a log record.
SECRET_KEYS = frozenset(
    {"password", "passwd", "sslpassword", "ssl_password", "ssl_key_password", "passphrase"}
)


def describe_target(
    *,
    host: str | None = None,
    port: int | None = None,
    database: str | None = None,
    username: str | None = None,
    hosts: Iterable[tuple[str, int | None]] = (),
) -> str:
    """``user@host:port/database`` (parts that are None are left out; ``hosts`` lists several
    ``host:port`` pairs). Takes no password argument: it cannot put one in."""
    pairs = list(hosts) or ([(host, port)] if host else [])
    where = ",".join(f"{h}:{p}" if p is not None else h for h, p in pairs) or "(default host)"
    who = f"{username}@" if username else ""
    db = f"/{database}" if database else ""
    return f"{who}{where}{db}"


def _quote_conninfo(value: str) -> str:
    if value and not any(ch in value for ch in " '\\"):
        return value
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"


def conninfo_without_secrets(params: Mapping[str, object]) -> str:
    """A libpq ``key=value`` conninfo of ``params`` with every secret key left out (None values
    too), quoted as libpq quotes. For messages; never for connecting."""
    return " ".join(
        f"{key}={_quote_conninfo(str(value))}"
        for key, value in params.items()
        if value is not None and key.lower() not in SECRET_KEYS
    )


def public_settings(params: Mapping[str, object]) -> dict[str, object]:
    """``params`` without its secret keys (a copy; for reprs and log records)."""
    return {k: v for k, v in params.items() if k.lower() not in SECRET_KEYS}
