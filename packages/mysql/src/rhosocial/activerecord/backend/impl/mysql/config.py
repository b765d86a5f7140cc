"""Connection settings for the MySQL/MariaDB family.

TLS is explicit: without any TLS setting the connection is plain TCP (the drivers' "try TLS
if offered" defaults are what make the official async backend crash against servers without
TLS). Giving a CA (or a client certificate) or ``ssl_mode="verify_identity"`` turns on full
verification: certificate chain *and* host name; ``verify_ca`` checks the chain only;
``required`` encrypts without verifying (and says so in its name).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from rhosocial.activerecord.backend.config import CharsetMixin, ConnectionConfig, SSLMixin

SSL_MODES = ("disabled", "required", "verify_ca", "verify_identity")
#: Character set and collation names: they end up in ``SET NAMES`` (and, for the charset, in
#: PyMySQL's own unquoted ``SET NAMES``), so nothing but a plain name is accepted.
_NAME_RE = re.compile(r"[A-Za-z0-9_]+")
#: Settings naming a PEM file the TLS layer reads when connecting.
TLS_FILES = ("ssl_ca", "ssl_cert", "ssl_key")


def _check_readable_file(setting: str, path: str | None) -> None:
    """Fail with the setting and the path when a TLS file cannot be read: the drivers only say
    "[Errno 2] No such file or directory" (no path) once they try to connect."""
    if not path:
        return
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ValueError(f"{setting}: cannot read {path!r}: {reason}") from exc


#: Without a configured ``sql_mode`` the session keeps the server's, made strict if it is not:
#: a non-strict server stores '?' for a character the column's charset lacks (an emoji in a
#: utf8mb3 column), cuts long strings and clamps out-of-range numbers, with a warning only.
_STRICT_SESSION = (
    "SESSION sql_mode = IF(@@SESSION.sql_mode REGEXP 'STRICT_(ALL|TRANS)_TABLES', "
    "@@SESSION.sql_mode, CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_TRANS_TABLES'))"
)


@dataclass
class MySQLFamilyConnectionConfig(ConnectionConfig, SSLMixin, CharsetMixin):
    """Settings shared by every driver of the family (all plain kwargs, picklable).

    Attributes beyond the core's host/port/database/username/password:
        ssl_mode: one of ``SSL_MODES``; None means "disabled" unless a CA or client
            certificate is given, which means "verify_identity".
        connect_timeout: seconds the whole connect may take: TCP, handshake, TLS and the
            statements run right after it (probe, session settings, ``init_command``);
            a positive number, fractions count. Past it: ``ConnectTimeout``.
        read_timeout / write_timeout: how long the client waits for the server, in seconds
            (None: forever). The sync drivers apply them to each socket read/write (whole
            seconds with mysql-connector-python); the async backends bound each statement's
            round trip by their sum. Past it: ``StatementTimeout``, the statement is stopped
            on the server (KILL QUERY), the connection is closed (an open transaction with it)
            and the statement is not re-run.
        time_zone: session time zone; UTC keeps NOW() in line with the UTC the adapters store.
        statement_timeout: seconds a statement may run before the server stops it
            (MariaDB ``max_statement_time``; MySQL ``max_execution_time``, SELECT only).
        sql_mode: session sql_mode, taken as given (None: the server's default, with
            ``STRICT_TRANS_TABLES`` added when it has no strict mode: a value the column
            cannot hold is then an error, never silently cut or replaced).
        collation: connection collation of ``charset`` (None: the charset's default), set with
            ``SET NAMES <charset> COLLATE <collation>`` after connecting, on every driver.
        init_command: one statement run after connecting.
        reconnect_read_only: transparently reconnect and re-run a read-only statement that
            lost its connection outside a transaction (nothing can be doubled there).
        bulk_max_rows: upper bound of rows per multi-row INSERT/statement batch.
    """

    host: str = "127.0.0.1"
    port: int | None = 3306
    password: str | None = field(default=None, repr=False)  # never in reprs or logs
    connect_timeout: float = 10.0
    read_timeout: float | None = None
    write_timeout: float | None = None
    time_zone: str | None = "+00:00"
    statement_timeout: float | None = None
    sql_mode: str | None = None
    init_command: str | None = None
    reconnect_read_only: bool = True
    bulk_max_rows: int = 1000

    def __post_init__(self) -> None:
        super().__post_init__()  # type: ignore[no-untyped-call]  # the core's is unannotated
        if self.port is None:
            self.port = 3306
        self.port = int(self.port)
        self.ssl_mode = self.resolved_ssl_mode()
        for name in ("charset", "collation"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, str) and _NAME_RE.fullmatch(value)):
                raise ValueError(
                    f"{name} must be a {name} name (letters, digits and _ only); got {value!r}"
                )
        for name in ("connect_timeout", "read_timeout", "write_timeout"):
            timeout = getattr(self, name)
            if timeout is None and name != "connect_timeout":
                continue
            if (
                isinstance(timeout, bool)
                or not isinstance(timeout, (int, float))
                or not 0 < timeout < math.inf
            ):
                none = "" if name == "connect_timeout" else " (or None)"
                raise ValueError(
                    f"{name} must be a positive number of seconds{none}; got {timeout!r}"
                )
        if self.bulk_max_rows < 1:
            raise ValueError("bulk_max_rows must be at least 1")
        if self.statement_timeout is not None and self.statement_timeout <= 0:
            raise ValueError("statement_timeout must be positive (or None)")

    def driver_basics(self) -> dict[str, Any]:
        """Keyword arguments every family driver spells the same way."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.username or "",
            "password": self.password or "",
            "charset": self.charset,
            "autocommit": True,  # transactions are explicit SQL (START TRANSACTION ...)
        }

    def resolved_ssl_mode(self) -> str:
        """The effective TLS mode, validated."""
        mode = self.ssl_mode
        if mode is None:
            if self.ssl_verify_identity or self.ssl_ca or self.ssl_cert:
                mode = "verify_identity"
            elif self.ssl_verify_cert:
                mode = "verify_ca"
            else:
                mode = "disabled"
        mode = mode.lower().replace("-", "_")
        if mode not in SSL_MODES:
            raise ValueError(f"ssl_mode must be one of {', '.join(SSL_MODES)}; got {mode!r}")
        if mode == "disabled" and (self.ssl_ca or self.ssl_cert):
            raise ValueError("ssl_mode='disabled' contradicts the TLS certificates given")
        if bool(self.ssl_cert) != bool(self.ssl_key):
            raise ValueError("ssl_cert and ssl_key must be given together")
        for name in TLS_FILES:
            _check_readable_file(name, getattr(self, name))
        return mode

    @property
    def tls_enabled(self) -> bool:
        return self.ssl_mode != "disabled"

    @property
    def tls_verify_cert(self) -> bool:
        return self.ssl_mode in ("verify_ca", "verify_identity")

    @property
    def tls_verify_identity(self) -> bool:
        return self.ssl_mode == "verify_identity"

    def session_statements(
        self, statement_timeout_variable: str
    ) -> list[tuple[str, tuple[Any, ...]]]:
        """SET statements run right after connecting (values are validated, not user SQL).

        The collation is set here for every driver: aiomysql has no such argument, and
        mysql-connector only knows the collations of its own table (it refuses MariaDB's
        ``utf8mb4_uca1400_*`` and reports a collation of another charset as "unknown").
        """
        stmts: list[tuple[str, tuple[Any, ...]]] = []
        if self.collation:
            stmts.append(("SET NAMES %s COLLATE %s", (self.charset, self.collation)))
        if self.sql_mode is not None:
            if self.time_zone:
                stmts.append(("SET time_zone = %s", (self.time_zone,)))
            stmts.append(("SET SESSION sql_mode = %s", (self.sql_mode,)))
        elif self.time_zone:  # one round trip for both
            stmts.append((f"SET time_zone = %s, {_STRICT_SESSION}", (self.time_zone,)))
        else:
            stmts.append((f"SET {_STRICT_SESSION}", ()))
        if self.statement_timeout is not None:
            value: int | float
            if statement_timeout_variable == "max_execution_time":
                value = int(self.statement_timeout * 1000)
            else:
                value = float(self.statement_timeout)
            stmts.append((f"SET SESSION {statement_timeout_variable} = %s", (value,)))
        return stmts


@dataclass
class MySQLConnectionConfig(MySQLFamilyConnectionConfig):
    """Settings for the mysql-connector-python backend.

    Attributes:
        use_pure: None picks the C extension when it loads and pure Python otherwise;
            True/False forces one.
    """

    use_pure: bool | None = None
