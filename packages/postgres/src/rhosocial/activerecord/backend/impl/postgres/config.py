"""Connection settings for the PostgreSQL backend.

A plain (not frozen) dataclass on the core ``ConnectionConfig`` so that YAML scenarios, worker
processes (``config_kwargs``) and ``clone()`` can rebuild it from keyword arguments, and so that
it pickles. Validation happens once, in ``__post_init__``, with messages that name the field.
The password never appears in ``repr()`` or in any error message.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

from rhosocial.activerecord.backend.config import ConnectionConfig, ConnectionPoolMixin

SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
TARGET_SESSION_ATTRS = ("any", "read-write", "read-only", "primary", "standby", "prefer-standby")

# Seconds added to statement_timeout for the default client-side bound (read_timeout): room for
# the server to notice its own timeout and for the answer to cross the network.
READ_TIMEOUT_MARGIN = 5.0

# Fields whose values are secrets: masked in repr() and never logged.
_SECRET_FIELDS = frozenset({"password", "sslpassword"})


@dataclass(repr=False)
class PostgresConnectionConfig(ConnectionConfig, ConnectionPoolMixin):
    """Everything needed to open a psycopg 3 connection.

    ``search_path`` and the timeouts are sent as libpq ``options`` (``-c name=value``) so they
    hold from the first statement on, including after a transparent reconnect.
    """

    host: str = "localhost"
    port: int | None = 5432
    sslmode: str | None = None
    sslrootcert: str | None = None
    sslcert: str | None = None
    sslkey: str | None = None
    sslpassword: str | None = None
    connect_timeout: int | None = None
    application_name: str | None = None
    target_session_attrs: str | None = None
    search_path: str | None = None
    statement_timeout: int | None = None  # milliseconds
    lock_timeout: int | None = None  # milliseconds
    pg_options: str | None = None  # raw libpq "options" string, e.g. "-c jit=off"
    # psycopg prepares a statement after this many executions; None disables it.
    prepare_threshold: int | None = 5
    # Behind a transaction-mode pooler (PgBouncer pool_mode=transaction): consecutive
    # transactions may run on different server sessions, so a statement prepared on one is
    # missing or another client's on the next (PgBouncer 1.18: 37-94 of 200 results wrong).
    # True turns server-side prepares off, whatever prepare_threshold says.
    transaction_pooler: bool = False
    # Client-side bound, in seconds, on every round trip of an open connection (a stalled
    # peer otherwise hangs a call for ever: statement_timeout acts on the server only).
    # None: statement_timeout + READ_TIMEOUT_MARGIN when statement_timeout is set, else none.
    read_timeout: float | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()  # type: ignore[no-untyped-call]  # the core's is unannotated
        if not self.host:
            raise ValueError("PostgresConnectionConfig.host must not be empty")
        if self.port is not None:
            if isinstance(self.port, str) and self.port.isdigit():
                self.port = int(self.port)
            if (
                isinstance(self.port, bool)
                or not isinstance(self.port, int)
                or not 0 < self.port < 65536
            ):
                raise ValueError(
                    f"PostgresConnectionConfig.port must be 1..65535, got {self.port!r}"
                )
        if self.sslmode is not None and self.sslmode not in SSL_MODES:
            raise ValueError(
                f"PostgresConnectionConfig.sslmode must be one of {', '.join(SSL_MODES)}; got {self.sslmode!r}"
            )
        if (
            self.target_session_attrs is not None
            and self.target_session_attrs not in TARGET_SESSION_ATTRS
        ):
            raise ValueError(
                "PostgresConnectionConfig.target_session_attrs must be one of "
                f"{', '.join(TARGET_SESSION_ATTRS)}; got {self.target_session_attrs!r}"
            )
        for name in ("connect_timeout", "statement_timeout", "lock_timeout", "prepare_threshold"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, str) and value.isdigit():
                value = int(value)
                setattr(self, name, value)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(
                    f"PostgresConnectionConfig.{name} must be a non-negative integer, got {value!r}"
                )
        if self.read_timeout is not None:
            value = self.read_timeout
            if isinstance(value, str):
                try:
                    value = self.read_timeout = float(value)
                except ValueError:
                    pass
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise ValueError(
                    f"PostgresConnectionConfig.read_timeout must be a positive number of seconds, got {value!r}"
                )
        if not isinstance(self.transaction_pooler, bool):
            raise ValueError(
                "PostgresConnectionConfig.transaction_pooler must be True or False, "
                f"got {self.transaction_pooler!r}"
            )
        if self.sslmode in ("verify-ca", "verify-full") and not self.sslrootcert:
            raise ValueError(f"sslmode={self.sslmode} needs sslrootcert (the CA certificate file)")
        if bool(self.sslcert) != bool(self.sslkey):
            raise ValueError("sslcert and sslkey must be given together")

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or f.name == "user":
                continue
            if f.name in _SECRET_FIELDS:
                value = "***"
            parts.append(f"{f.name}={value!r}")
        return f"{type(self).__name__}({', '.join(parts)})"

    __str__ = __repr__

    def effective_prepare_threshold(self) -> int | None:
        """What psycopg gets: None (never prepare) behind a transaction pooler."""
        return None if self.transaction_pooler else self.prepare_threshold

    def effective_read_timeout(self) -> float | None:
        """The client-side bound on a round trip, in seconds (see ``read_timeout``)."""
        if self.read_timeout is not None:
            return float(self.read_timeout)
        if self.statement_timeout:  # 0 is PostgreSQL's "no timeout"
            return self.statement_timeout / 1000 + READ_TIMEOUT_MARGIN
        return None

    def libpq_options(self) -> str | None:
        """The ``options`` startup parameter: search_path, timeouts and any raw options."""
        opts = []
        if self.search_path:
            opts.append(f"-c search_path={self.search_path.replace(' ', '')}")
        if self.statement_timeout is not None:
            opts.append(f"-c statement_timeout={self.statement_timeout}")
        if self.lock_timeout is not None:
            opts.append(f"-c lock_timeout={self.lock_timeout}")
        if self.pg_options:
            opts.append(self.pg_options)
        return " ".join(opts) or None

    def _connect_timeout(self) -> int | None:
        """``connect_timeout``, or with a client-side bound and none given, that bound (whole
        seconds, as libpq takes it): a reconnect through a stalled link must end too."""
        if self.connect_timeout is not None:
            return self.connect_timeout
        bound = self.effective_read_timeout()
        return None if bound is None else max(2, math.ceil(bound))

    def connect_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``psycopg.connect`` (secrets included: never log this)."""
        kwargs: dict[str, Any] = {
            "host": self.host,
            "port": self.port,
            "dbname": self.database,
            "user": self.username,
            "password": self.password,
            "sslmode": self.sslmode,
            "sslrootcert": self.sslrootcert,
            "sslcert": self.sslcert,
            "sslkey": self.sslkey,
            "sslpassword": self.sslpassword,
            "connect_timeout": self._connect_timeout(),
            "application_name": self.application_name,
            "target_session_attrs": self.target_session_attrs,
            "options": self.libpq_options(),
        }
        kwargs = {k: v for k, v in kwargs.items() if v is not None and v != ""}
        # Extra libpq parameters may be passed through ``options={...}``.
        kwargs.update({k: v for k, v in (self.options or {}).items() if v is not None})
        return kwargs
