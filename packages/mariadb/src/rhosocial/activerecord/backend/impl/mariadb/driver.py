"""PyMySQL glue shared by the sync (PyMySQL) and async (aiomysql, built on PyMySQL) backends.

TLS is asked for by handing the drivers an SSL context (``make_ssl_context``). Given one, PyMySQL
(1.2) refuses a server that does not offer TLS itself: ``OperationalError(2026, "SSL is required
but the server doesn't support it")``, mapped to ``ConnectFailed``, its socket closed. aiomysql
has its own handshake code and still carries on in plain text then, so the family core checks
``Ssl_cipher`` after every TLS connect and refuses a connection that is not encrypted (for
PyMySQL that check is a second line of defence). Without TLS settings (or with
``ssl_mode="disabled"``) PyMySQL gets ``ssl_disabled=True``: left to itself it encrypts whenever
the server offers TLS, and "disabled" means plain.
"""

from __future__ import annotations

from typing import Any

import pymysql
from pymysql.constants import CLIENT

from rhosocial.activerecord.backend.impl.mysql.core import make_ssl_context
from rhosocial.activerecord.backend.impl.mysql.errors import ErrorInfo

from .config import MariaDBConnectionConfig

#: PyMySQL raises InterfaceError(0, '') when the connection object is already closed.
_CLOSED = 2006


def connect_kwargs(config: MariaDBConnectionConfig, *, for_async: bool = False) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        **config.driver_basics(),
        "client_flag": CLIENT.FOUND_ROWS,
        "connect_timeout": config.connect_timeout,
    }
    if config.database:
        kwargs["db" if for_async else "database"] = config.database
    if not for_async:
        if config.read_timeout:
            kwargs["read_timeout"] = config.read_timeout
        if config.write_timeout:
            kwargs["write_timeout"] = config.write_timeout
    ctx = make_ssl_context(config)
    if ctx is not None:
        kwargs["ssl"] = ctx
    elif not for_async:
        # PyMySQL tries TLS whenever the server offers it unless told not to; aiomysql (its
        # own handshake) only starts TLS when given a context and has no such argument.
        kwargs["ssl_disabled"] = True
    return kwargs


def patch_aiomysql_escape(conn: Any) -> None:
    """Per-connection fix for aiomysql 0.3 on PyMySQL 1.2: aiomysql escapes ``bytes`` with a
    PyMySQL helper whose signature changed, which raises TypeError for every binary value.
    Bytes are rendered the way PyMySQL itself does (``_binary X'..'``); everything else is
    left to aiomysql. Only this connection object is touched, never the module."""
    original = conn.escape

    def escape(obj: Any) -> str:
        if isinstance(obj, (bytes, bytearray, memoryview)):
            return f"_binary X'{bytes(obj).hex()}'"
        return str(original(obj))  # aiomysql's escape is untyped; it returns SQL text

    conn.escape = escape


def error_info(exc: BaseException) -> ErrorInfo | None:
    """errno/SQLSTATE/message of a PyMySQL error; None for anything else. PyMySQL 1.2+ keeps
    the SQLSTATE of server errors (client-side errors and older releases have none)."""
    if not isinstance(exc, pymysql.err.Error):
        return None
    args = exc.args
    errno = args[0] if args and isinstance(args[0], int) else None
    message = str(args[1]) if len(args) > 1 else str(exc)
    if not errno and isinstance(exc, (pymysql.err.InterfaceError, pymysql.err.OperationalError)):
        errno, message = _CLOSED, message or "connection is closed"
    # A read_timeout/write_timeout ran out: PyMySQL reports a lost connection (2013/2006)
    # while handling the socket's TimeoutError.
    timed_out = isinstance(exc.__cause__ or exc.__context__, TimeoutError)
    return ErrorInfo(errno or None, getattr(exc, "sqlstate", None), message, timed_out)
