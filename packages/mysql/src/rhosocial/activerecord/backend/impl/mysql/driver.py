"""mysql-connector-python glue shared by the sync and async MySQL backends.

The C extension is used where it loads; it needs OpenSSL 3.2 in the 26.x wheels, so on older
systems the driver falls back to pure Python (``driver_mode()`` says which one is active).
TLS is passed explicitly either way: ``ssl_disabled=True`` unless TLS was asked for, which also
keeps ``mysql.connector.aio`` from crashing on servers without TLS.
"""

from __future__ import annotations

from typing import Any

import mysql.connector
from mysql.connector import MySQLConnection
from mysql.connector import errors as driver_errors
from mysql.connector.constants import ClientFlag

from .config import TLS_FILES, MySQLConnectionConfig
from .errors import ErrorInfo

#: Client errors the driver raises without a server errno when the socket is gone.
_LOST_WITHOUT_ERRNO = 2013
#: The driver's own timeouts (errno 3024 or 2003, the server's statement-timeout and
#: cannot-connect errnos, and nothing in the class says "client side" but the class).
_CLIENT_TIMEOUTS = (
    driver_errors.ConnectionTimeoutError,
    driver_errors.ReadTimeoutError,
    driver_errors.WriteTimeoutError,
)


def c_extension_available() -> bool:
    return bool(getattr(mysql.connector, "HAVE_CEXT", False))


def use_pure(config: MySQLConnectionConfig) -> bool:
    if config.use_pure is None:
        return not c_extension_available()
    return bool(config.use_pure)


def driver_mode(config: MySQLConnectionConfig) -> str:
    return "pure Python" if use_pure(config) else "C extension"


def whole_seconds(config: MySQLConnectionConfig) -> int:
    """``connect_timeout`` for the C extension, which takes whole seconds only (libmysqlclient's
    ``MYSQL_OPT_CONNECT_TIMEOUT``); a fraction is refused, never rounded or dropped."""
    timeout = config.connect_timeout
    if timeout != int(timeout):
        raise ValueError(
            f"connect_timeout={timeout!r}: mysql-connector's C extension takes whole seconds "
            "only; give whole seconds, or use_pure=True (pure Python honours fractions)"
        )
    return int(timeout)


def socket_timeouts(config: MySQLConnectionConfig) -> dict[str, int]:
    """``read_timeout``/``write_timeout`` for the sync driver, which takes whole seconds only
    (its own complaint about a fraction surfaces as a failed connect, errno 2013); a fraction is
    refused, never rounded. The async backends bound statements themselves and accept them."""
    timeouts = {}
    for name in ("read_timeout", "write_timeout"):
        value = getattr(config, name)
        if value is None:
            continue
        if value != int(value):
            raise ValueError(
                f"{name}={value!r}: mysql-connector-python takes whole seconds (the async "
                "backend and the MariaDB package accept fractions)"
            )
        timeouts[name] = int(value)
    return timeouts


def connection_class(config: MySQLConnectionConfig) -> type:
    """The driver's connection class for ``config``: pure Python or the C extension."""
    if use_pure(config):
        return MySQLConnection
    cext = getattr(mysql.connector, "CMySQLConnection", None)
    if not isinstance(cext, type):  # absent (None) where the C extension does not load
        raise ImportError("use_pure=False: mysql-connector's C extension is not available")
    return cext


def connect_kwargs(config: MySQLConnectionConfig, *, for_async: bool = False) -> dict[str, Any]:
    """Driver keyword arguments for ``config`` (autocommit, matched-row counts, explicit TLS)."""
    kwargs: dict[str, Any] = {
        **config.driver_basics(),
        "client_flags": ClientFlag.get_default() | ClientFlag.FOUND_ROWS,
        "connection_timeout": config.connect_timeout,
        "get_warnings": False,
        "raise_on_warnings": False,
    }
    if config.database:
        kwargs["database"] = config.database
    if not for_async:  # the async backends bound a statement themselves (FamilyAsyncBackend)
        kwargs.update(socket_timeouts(config))
    if not for_async and not use_pure(config):
        kwargs["connection_timeout"] = whole_seconds(config)
    if not config.tls_enabled:
        kwargs["ssl_disabled"] = True
    else:
        kwargs["ssl_disabled"] = False
        kwargs["ssl_verify_cert"] = config.tls_verify_cert
        kwargs["ssl_verify_identity"] = config.tls_verify_identity
        for name in TLS_FILES:
            if getattr(config, name):
                kwargs[name] = getattr(config, name)
    return kwargs


def error_info(exc: BaseException) -> ErrorInfo | None:
    """errno/SQLSTATE/message of a mysql-connector error; None for anything else."""
    if not isinstance(exc, driver_errors.Error):
        return None
    errno = exc.errno if isinstance(exc.errno, int) and exc.errno > 0 else None
    if errno is None and isinstance(
        exc, (driver_errors.OperationalError, driver_errors.InterfaceError)
    ):
        errno = _LOST_WITHOUT_ERRNO
    timed_out = isinstance(exc, _CLIENT_TIMEOUTS)
    return ErrorInfo(errno, exc.sqlstate, exc.msg or str(exc), timed_out)
