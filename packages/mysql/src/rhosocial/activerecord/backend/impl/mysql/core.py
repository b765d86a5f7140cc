"""Driver-agnostic backend core of the MySQL/MariaDB family.

Everything a family backend does that is not socket I/O lives here once and is shared by the
sync and async backends of both packages: statement planning (parameter conversion, ``%``
escaping, result expectations), result shaping, error mapping and the lost-connection policy,
server feature detection and bulk-insert chunking. The sync/async base classes in
``backend_base.py`` only move bytes; the driver glue only opens connections and reads errnos.

The execution path replaces the core's generic ``execute()``: that one formats a log line
eagerly and looks an adapter up per parameter; here conversion is one dict lookup per value
and logging costs nothing while it is disabled.
"""

from __future__ import annotations

import dataclasses
import logging
import ssl
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from datetime import date, datetime
from datetime import time as time_
from decimal import Decimal
from functools import lru_cache
from typing import Any, NoReturn, get_origin

from rhosocial.activerecord.backend.errors import TransactionError
from rhosocial.activerecord.backend.expression.bases import ToSQLProtocol
from rhosocial.activerecord.backend.options import BulkInsertOptions, ExecutionOptions
from rhosocial.activerecord.backend.result import QueryResult
from rhosocial.activerecord.backend.schema import StatementType

from . import errors as family_errors
from .adapters import (
    DRIVER_TYPES,
    FAST_TO_DATABASE,
    SUGGESTED_DB_TYPES,
    Converter,
    MySQLDateTimeAdapter,
    bind_parameters,
    check_packet_size,
    family_adapters,
    to_utc_naive,
)
from .config import MySQLFamilyConnectionConfig
from .features import ServerFeatures
from .sqltext import escape_percent, is_read_only, is_rollback, named_placeholders

_DEBUG = logging.DEBUG
_PLAIN_DQL = ExecutionOptions(stmt_type=StatementType.DQL)

#: Connect-time probe: one round trip for everything the backend needs to know.
PROBE_SQL = (
    "SELECT VERSION(), CONNECTION_ID(), @@innodb_rollback_on_timeout, "
    "@@max_allowed_packet, @@innodb_autoinc_lock_mode, @@auto_increment_increment"
)
#: Bound natively by both drivers: no adapter call on the way in (aware datetimes do go
#: through theirs: ``datetime`` is not listed).
_NATIVE = (Decimal, date, time_)

TLS_PROBE_SQL = "SHOW SESSION STATUS LIKE 'Ssl_cipher'"


def declared_db_type(adapter: Any, py_type: type) -> Any:
    """The one DB type ``adapter`` declares for values of ``py_type`` (keys may be generics such
    as ``List[str]``), or None: none or several declared, or the value is an SQL expression."""
    if issubclass(py_type, ToSQLProtocol):
        return None
    targets: set = set()
    for key, db_types in adapter.supported_types.items():
        base = get_origin(key) or key
        if isinstance(base, type) and issubclass(py_type, base):
            targets |= set(db_types)
    return next(iter(targets)) if len(targets) == 1 else None


@dataclasses.dataclass(slots=True)
class Plan:
    """One statement, ready for the driver."""

    sql: str
    params: tuple[Any, ...] | dict[str, Any] | None
    stmt_type: StatementType
    fetch: bool | None  # None: return rows if the server sends any
    read_only: bool
    column_adapters: dict | None
    column_mapping: dict | None
    started: float
    attempt: int = 0


@dataclasses.dataclass(slots=True)
class Raw:
    """What the driver gave back for one statement."""

    rows: list | None
    description: Sequence | None
    rowcount: int
    lastrowid: int | None


@dataclasses.dataclass
class ServerInfo:
    """Facts read once per connection."""

    version_string: str
    features: ServerFeatures
    connection_id: int
    rollback_on_timeout: bool
    max_allowed_packet: int
    autoinc_lock_mode: int
    autoinc_increment: int
    tls_cipher: str | None = None


def make_ssl_context(config: MySQLFamilyConnectionConfig) -> ssl.SSLContext | None:
    """An ``SSLContext`` enforcing the configured mode (None when TLS is off).

    Used by the drivers that accept a context (PyMySQL, aiomysql); mysql-connector takes the
    same settings as paths and flags.
    """
    if not config.tls_enabled:
        return None
    if config.tls_verify_cert:
        ctx = ssl.create_default_context(cafile=config.ssl_ca)
        ctx.check_hostname = config.tls_verify_identity
    else:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if config.ssl_cert:
        ctx.load_cert_chain(config.ssl_cert, config.ssl_key)
    if config.ssl_ciphers:
        ctx.set_ciphers(config.ssl_ciphers)
    return ctx


class FamilyBackendCore:
    """Mixin holding the shared, I/O-free half of every family backend."""

    #: Set by the driver glue: the name shown by ``info`` and in logs.
    driver_name = "unknown"
    #: PyMySQL/aiomysql interpolate with Python's ``%`` operator (literal ``%`` must be doubled);
    #: mysql-connector substitutes ``%s`` tokens only and leaves every other ``%`` alone.
    percent_needs_escape = True
    dialect_class: type = None  # set by subclasses
    config: MySQLFamilyConnectionConfig

    # --- construction -----------------------------------------------------------------------
    #: The config class plain keyword arguments are turned into (set by each backend).
    config_class: type = MySQLFamilyConnectionConfig

    @classmethod
    def _config_kwargs(cls, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Accept ``connection_config=`` (how the core builds backends) or plain config kwargs."""
        if kwargs.get("connection_config") is not None:
            return kwargs
        backend_keys = ("logging_config", "logger")
        config = {
            k: v for k, v in kwargs.items() if k not in backend_keys and k != "connection_config"
        }
        rest = {k: v for k, v in kwargs.items() if k in backend_keys}
        return {"connection_config": cls.config_class(**config), **rest}

    def _init_family(self) -> None:
        self._dialect = self.dialect_class()
        self._server_info: ServerInfo | None = None
        #: Why the server already ended the open transaction (None: it did not).
        self._server_rolled_back: str | None = None
        for adapter in family_adapters():
            for py_type, db_types in adapter.supported_types.items():
                for db_type in db_types:
                    self.adapter_registry.register(adapter, py_type, db_type, allow_override=True)
        self._static_plans: dict[tuple, tuple] = {}
        self._suggestions: dict | None = None
        self._own_adapter_ids: frozenset[int] | None = None
        self._converters: dict[type, Converter] | None = None

    @property
    def dialect(self):
        return self._dialect

    @property
    def server_info(self) -> ServerInfo | None:
        return self._server_info

    @property
    def threadsafety(self) -> int:
        return 1

    def get_default_adapter_suggestions(self) -> dict:
        """python type -> (adapter, driver type); built once (the ORM asks on every query)."""
        if self._suggestions is None:
            suggestions = {}
            for py_type, db_type in SUGGESTED_DB_TYPES.items():
                adapter = self.adapter_registry.get_adapter(py_type, db_type)
                if adapter is not None:
                    suggestions[py_type] = (adapter, db_type)
            self._suggestions = suggestions
        return self._suggestions

    def _param_converters(self) -> dict[type, Converter]:
        if self._converters is None:
            converters: dict[type, Converter] = dict(DRIVER_TYPES)
            for py_type, (adapter, db_type) in self.get_default_adapter_suggestions().items():
                if py_type in _NATIVE:  # the drivers bind these themselves
                    continue
                if py_type is datetime and type(adapter) is MySQLDateTimeAdapter:
                    converters[py_type] = to_utc_naive
                    continue
                fast = FAST_TO_DATABASE.get(type(adapter))
                if fast is not None and db_type is SUGGESTED_DB_TYPES.get(py_type):
                    converters[py_type] = fast
                else:
                    converters[py_type] = lambda v, a=adapter, t=db_type: a.to_database(v, t)
            self._converters = converters
        return self._converters

    def _convert_params(self, params: Sequence, row: int | None = None) -> tuple:
        return bind_parameters(params, self._converters or self._param_converters(), row)

    def _with_declared_adapters(self, options: Any) -> Any:
        """Insert/update/bulk-insert options with the model's own ``UseAdapter`` conversions
        applied to the values written (the core passes them along but only reads through them).

        The backend's suggested adapters are left to the parameter converter; None stays None
        and a value without one unambiguous DB type (an SQL expression, say) is bound as it is.
        """
        if not options.column_adapters:
            return options
        own = self._own_adapter_ids
        if own is None:  # the backend's own adapters: the parameter converter applies those
            suggested = self.get_default_adapter_suggestions().values()
            own = self._own_adapter_ids = frozenset(id(adapter) for adapter, _ in suggested)
        declared = {c: a for c, (a, _) in options.column_adapters.items() if id(a) not in own}
        targets: dict[tuple[str, type], Any] = {}

        def write(column: str, value: Any) -> Any:
            adapter = declared.get(column)
            if adapter is None or value is None:
                return value
            key = (column, type(value))
            if key not in targets:
                targets[key] = declared_db_type(adapter, key[1])
            return value if targets[key] is None else adapter.to_database(value, targets[key])

        bulk = isinstance(options, BulkInsertOptions)
        if declared.keys().isdisjoint(options.columns if bulk else options.data):
            return options
        if bulk:
            cols = options.columns
            rows = [[write(c, v) for c, v in zip(cols, row, strict=True)] for row in options.rows]
            return dataclasses.replace(options, rows=rows)
        return dataclasses.replace(options, data={c: write(c, v) for c, v in options.data.items()})

    @staticmethod
    def _dql_options(column_adapters: Any, column_mapping: Any) -> ExecutionOptions:
        """Options of ``fetch_one``/``fetch_all``: one shared object in the common case."""
        if not column_adapters and not column_mapping:
            return _PLAIN_DQL
        return ExecutionOptions(
            stmt_type=StatementType.DQL,
            column_adapters=column_adapters,
            column_mapping=column_mapping,
        )

    # --- planning and shaping ---------------------------------------------------------------
    def _plan(self, sql: str, params: Sequence | None, options: ExecutionOptions | None) -> Plan:
        started = time.perf_counter()
        if params:
            if isinstance(params, dict):
                raise TypeError("the MySQL family backends take positional %s parameters only")
            bound = bind_parameters(params, self._converters or self._param_converters())
        else:
            bound = None
        if options is None:
            key = (sql, None, None, bound is not None)
            adapters = mapping = None
        else:
            # id(): statement types are singletons, and an Enum hashes in Python code
            key = (sql, id(options.stmt_type), options.process_result_set, bound is not None)
            adapters, mapping = options.column_adapters, options.column_mapping
        static = self._static_plans.get(key) or self._static_plan(key, options)
        text, stmt_type, fetch, read_only, named = static
        params_out = _named_params(bound) if named and bound is not None else bound
        return Plan(text, params_out, stmt_type, fetch, read_only, adapters, mapping, started)

    def _static_plan(self, key: tuple, options: ExecutionOptions | None) -> tuple:
        """What depends on the statement text and options alone (cached: ORM statements repeat).

        Without options the statement counts as DDL and returns rows only if the server sends
        some (``fetch=None``); with options, ``process_result_set`` decides, else the type.
        """
        sql, _, process_result_set, bound = key
        stmt_type = options.stmt_type if options is not None else None
        if stmt_type is None:
            stmt_type, fetch = StatementType.DDL, None
        elif process_result_set is not None:
            fetch = process_result_set
        else:
            fetch = stmt_type in (StatementType.DQL, StatementType.SELECT, StatementType.EXPLAIN)
        text, named = self._placeholder_text(sql) if bound else (sql, False)
        static = (text, stmt_type, fetch, is_read_only(sql), named)
        if len(self._static_plans) >= 4096:
            self._static_plans.clear()
        self._static_plans[key] = static
        return static

    def _placeholder_text(self, sql: str) -> tuple[str, bool]:
        """The text to send with bound parameters, and whether they go as a dict: PyMySQL needs
        every literal ``%`` doubled; mysql-connector needs named placeholders when a quoted
        part holds ``%s`` (it would take that for one)."""
        if self.percent_needs_escape:
            return escape_percent(sql), False
        named = named_placeholders(sql)
        return (sql, False) if named is None else (named, True)

    def _shape(self, plan: Plan, raw: Raw) -> QueryResult:
        data = None
        if raw.rows is not None and plan.fetch is not False:
            data = self._rows_to_dicts(
                raw.rows, raw.description, plan.column_adapters, plan.column_mapping
            )
        elif plan.fetch:
            data = []
        duration = time.perf_counter() - plan.started
        logger = self.logger
        if logger.isEnabledFor(_DEBUG):
            logger.debug(
                "%s in %.6fs, %d row(s): %s | params=%s",
                plan.stmt_type.name,
                duration,
                raw.rowcount,
                plan.sql,
                self.summarize_log_data(plan.params),
            )
        return QueryResult(
            data=data,
            affected_rows=raw.rowcount if raw.rowcount is not None and raw.rowcount >= 0 else 0,
            last_insert_id=raw.lastrowid or None,
            duration=duration,
        )

    @staticmethod
    def _rows_to_dicts(
        rows: list, description: Sequence, adapters: dict | None, mapping: dict | None
    ) -> list[dict]:
        names = [d[0] for d in description]
        if adapters:
            plan = [(i, adapters.get(n)) for i, n in enumerate(names)]
            plan = [(i, a[0], a[1]) for i, a in plan if a]
            if plan:
                converted = []
                for row in rows:
                    row = list(row)
                    for i, adapter, py_type in plan:
                        row[i] = adapter.from_database(row[i], py_type)
                    converted.append(row)
                rows = converted
        if mapping:
            names = [mapping.get(n, n) for n in names]
        build = _row_builder(tuple(names))
        return [build(row) for row in rows]

    # --- transactions and failures ----------------------------------------------------------
    def _guard(self, plan: Plan) -> None:
        """Refuse to run statements in a transaction the server has already ended, and one
        that cannot fit the connection's ``max_allowed_packet``."""
        if plan.params and self._server_info is not None:
            limit, charset = self._server_info.max_allowed_packet, self.config.charset
            check_packet_size(plan.sql, plan.params, limit, charset=charset)
        if self._server_rolled_back and self.in_transaction and not is_rollback(plan.sql):
            raise TransactionError(
                f"the server already rolled this transaction back ({self._server_rolled_back}); "
                "roll back and retry the whole transaction"
            )

    def _error_info(self, exc: BaseException) -> family_errors.ErrorInfo | None:
        """Driver glue: errno/SQLSTATE/message of a driver exception, None for anything else."""
        raise NotImplementedError

    def _on_failure(self, plan: Plan, exc: BaseException) -> tuple[BaseException, bool]:
        """Decide what a failed statement means: (error to raise, retry once on a new connection).

        Only a read-only statement outside a transaction is re-run after a lost connection;
        a loss inside a transaction marks it as ended by the server, and nothing is re-run.
        A client-side timeout (``read_timeout``/``write_timeout``) ends the connection too: the
        reply may still arrive on it and would be read as the next statement's.
        """
        info = self._error_info(exc)
        if info is None:
            return exc, False
        if info.timed_out:
            return self._client_timed_out(info.message), False
        mapped = family_errors.map_error(info)
        lost = family_errors.is_connection_lost(info.errno)
        if lost:
            self._abandon_connection()
        if self.in_transaction:
            rollback_on_timeout = bool(self._server_info and self._server_info.rollback_on_timeout)
            if lost:
                self._server_rolled_back = f"connection lost: errno {info.errno}"
            elif family_errors.rolls_back_transaction(info.errno, rollback_on_timeout):
                self._server_rolled_back = f"errno {info.errno}"
            return mapped, False
        retry = lost and plan.read_only and plan.attempt == 0 and self.config.reconnect_read_only
        return mapped, retry

    def _raise_unless_retry(self, plan: Plan, exc: Exception) -> None:
        """Raise the mapped error for ``exc``, or return when the statement may run again."""
        err, retry = self._on_failure(plan, exc)
        if retry:
            plan.attempt += 1
            return
        if err is exc:
            raise exc
        raise err from exc

    def _ping_may_reconnect(self, exc: Exception, reconnect: bool) -> bool:
        """After a failed ping: drop the dead connection; reconnect only outside a transaction
        (a new connection would silently lose the transaction)."""
        if self._error_info(exc) is None:
            raise exc
        self._abandon_connection()
        if self.in_transaction:
            self._server_rolled_back = "connection lost (ping)"
            return False
        return reconnect

    def _abandon_connection(self) -> None:
        """Forget a connection given up on (dead, or refused while connecting) and close its
        socket through the glue's ``_close_dead``, without I/O."""
        conn, self._connection, self._cursor = self._connection, None, None
        if conn is not None:
            try:
                self._close_dead(conn)
            except NotImplementedError:
                raise  # a glue without _close_dead would leave sockets open: say so
            except Exception:  # noqa: BLE001 - it is already dead; nothing to report
                pass

    def _close_dead(self, conn: Any) -> None:
        """Driver glue: close the socket of ``conn`` now, without talking to the server."""
        raise NotImplementedError

    def _connect_error(
        self, exc: BaseException, deadline: float, interrupted: bool = False
    ) -> family_errors.MySQLFamilyError | None:
        """The error to raise ``from exc`` for a connect that failed with ``exc``, or None when
        ``exc`` is to be raised as it is: a family error already, or not the driver's and not a
        socket's (a bug is not disguised as a connect failure, nor made its own cause).

        ``interrupted``: the connect timeout cut the connect short, so whatever ``exc`` says is
        its consequence: ``ConnectTimeout``. A client-side timeout (the driver's or the
        socket's) once ``deadline`` (``time.monotonic()``) has passed is the connect timeout
        too, whichever driver and whatever errno; before that it was a shorter timeout (a
        ``read_timeout``) and stays the driver's error.
        """
        if isinstance(exc, family_errors.ConnectTimeout):
            return None
        if interrupted:
            return self._connect_timed_out()
        info = self._error_info(exc)
        if info is None:
            if isinstance(exc, (OSError, ssl.SSLError)):
                timed_out = isinstance(exc, TimeoutError)
                info = family_errors.ErrorInfo(
                    None, None, f"{type(exc).__name__}: {exc}", timed_out
                )
            else:
                return None
        if info.timed_out and time.monotonic() >= deadline:
            return self._connect_timed_out()
        err = family_errors.map_error(info, connecting=True)
        if not isinstance(err, family_errors.ConnectFailed):
            converted = family_errors.ConnectFailed(str(err))
            converted.errno, converted.sqlstate = err.errno, err.sqlstate
            err = converted
        # an outage: connecting again later is what succeeds (a socket error has no errno)
        err.retry_safe = info.errno in family_errors.CONNECT_TRANSIENT or (
            info.errno is None and isinstance(exc, (ConnectionError, TimeoutError))
        )
        return err

    def _raise_connect_error(
        self, exc: Exception, deadline: float, interrupted: bool = False
    ) -> NoReturn:
        """Raise what a connect that failed with ``exc`` means (see ``_connect_error``)."""
        err = self._connect_error(exc, deadline, interrupted)
        if err is None:
            raise exc
        raise err from exc

    def _client_timed_out(self, detail: str) -> family_errors.StatementTimeout:
        """The client stopped waiting for a statement's reply: drop the connection (and with it
        an open transaction, which the server rolls back) and say so. Never re-run: the
        statement may have taken effect on the server."""
        self._abandon_connection()
        if self.in_transaction:
            self._server_rolled_back = "client-side timeout; the connection was closed"
        limits = ", ".join(
            f"{name}={value:g}s"
            for name in ("read_timeout", "write_timeout")
            if (value := getattr(self.config, name))
        )
        detail = " ".join(detail.split())  # mysql-connector's message spans indented lines
        return family_errors.StatementTimeout(
            f"no reply from the server within {limits or 'the client timeout'} ({detail}); the "
            "connection was closed, and the statement may still have taken effect on the server"
        )

    def _connect_deadline(self) -> float:
        """When a connect starting now must have finished (``time.monotonic()``)."""
        return time.monotonic() + self.config.connect_timeout

    def _connect_timed_out(self) -> family_errors.ConnectTimeout:
        return family_errors.ConnectTimeout(
            f"could not connect to {self.config.host}:{self.config.port} within "
            f"connect_timeout={self.config.connect_timeout:g}s; the connection was closed"
        )

    # --- connect-time facts -----------------------------------------------------------------
    def _session_setup(self) -> Generator[tuple[str, tuple | None], Raw, None]:
        """What a fresh connection runs before it is used, as ``(sql, params)`` to send; the
        sync and async ``connect`` send each statement's ``Raw`` back in.

        The probe comes first, then the session settings and ``init_command``. The
        connection's facts are adopted only once all of them succeeded: ``server_info`` never
        describes a connection still being set up, so a set-up statement cut short (connect
        timeout, cancellation) is not KILLed through a side connection, whose connect could
        outlast the timeout; its connection is closed, which ends the session.
        """
        probe = yield PROBE_SQL, None
        tls = (yield TLS_PROBE_SQL, None) if self.config.tls_enabled else None
        info = self._server_info_from_probe(
            probe.rows[0], tls.rows[0] if tls and tls.rows else None
        )
        if self.config.tls_enabled and not info.tls_cipher:
            raise self._tls_not_established()
        # not ``yield from``: each statement's Raw is sent back in, which a list cannot take
        for sql, params in self._statement_timeout_statements(info.features):  # noqa: UP028
            yield sql, params
        if self.config.init_command:
            yield self.config.init_command, None
        self._adopt_server_info(info)

    def _tls_not_established(self) -> family_errors.ConnectFailed:
        return family_errors.ConnectFailed(
            f"TLS was required (ssl_mode={self.config.ssl_mode}) but the server at "
            f"{self.config.host}:{self.config.port} did not establish it"
        )

    def _server_info_from_probe(self, row: Sequence, tls_row: Sequence | None) -> ServerInfo:
        version_string = row[0].decode() if isinstance(row[0], bytes) else str(row[0])
        features = ServerFeatures.from_version_string(version_string)
        cipher = None
        if tls_row:
            cipher = tls_row[1].decode() if isinstance(tls_row[1], bytes) else tls_row[1]
        return ServerInfo(
            version_string=version_string,
            features=features,
            connection_id=int(row[1]),
            rollback_on_timeout=bool(int(row[2] or 0)),
            max_allowed_packet=int(row[3] or 4 * 1024 * 1024),
            autoinc_lock_mode=int(row[4] if row[4] is not None else 1),
            autoinc_increment=int(row[5] or 1),
            tls_cipher=cipher or None,
        )

    def _adopt_server_info(self, info: ServerInfo) -> None:
        self._server_info = info
        self._dialect.features = info.features
        self._server_version_cache = info.features.version

    def _statement_timeout_statements(self, features: ServerFeatures) -> list[tuple[str, tuple]]:
        return self.config.session_statements(features.statement_timeout_variable)

    # --- bulk insert ------------------------------------------------------------------------
    def _bulk_chunks(self, options: BulkInsertOptions) -> Iterator[BulkInsertOptions]:
        """Split a bulk insert into multi-row INSERTs that fit ``max_allowed_packet``."""
        rows = options.rows
        if not rows:
            return
        limit = self._rows_per_statement(rows[0], cap=self.config.bulk_max_rows)
        if len(rows) <= limit:
            yield options
            return
        for start in range(0, len(rows), limit):
            yield dataclasses.replace(options, rows=rows[start : start + limit])

    def _merge_bulk(self, results: list[QueryResult], chunk_sizes: list[int]) -> QueryResult:
        """One result for a chunked bulk insert; ids must stay first-id + consecutive."""
        if len(results) == 1:
            return results[0]
        data: list | None = None
        if any(r.data for r in results):
            data = [row for r in results for row in (r.data or [])]
        first_id = results[0].last_insert_id
        if first_id is not None:
            step = self._server_info.autoinc_increment if self._server_info else 1
            expected = first_id
            for result, size in zip(results, chunk_sizes, strict=False):
                if result.last_insert_id != expected:
                    raise family_errors.ServerError(
                        "auto-increment ids of a chunked bulk insert are not consecutive; "
                        "ids of the inserted rows cannot be reported (insert fewer rows per call)"
                    )
                expected += size * step
        return QueryResult(
            data=data,
            affected_rows=sum(r.affected_rows for r in results),
            last_insert_id=first_id,
            duration=sum(r.duration for r in results),
        )

    def _execute_many_chunks(self, sql: str, params_list: Sequence) -> Iterator[tuple[str, list]]:
        """Converted parameter rows in batches the drivers turn into multi-row INSERTs.

        A batch is as large as half of ``max_allowed_packet`` allows (estimated from the first
        row): fewer round trips than a fixed row count, never a statement the server rejects.
        """
        sql, named = self._placeholder_text(sql)
        convert = self._convert_params
        rows = [convert(params, row) for row, params in enumerate(params_list, 1)]
        if not rows:
            return
        if self._server_info is not None:
            packet = self._server_info.max_allowed_packet
            for number, row in enumerate(rows, 1):
                check_packet_size(sql, row, packet, number, charset=self.config.charset)
        limit = self._rows_per_statement(rows[0], cap=max(self.config.bulk_max_rows, 50_000))
        batches = [rows[start : start + limit] for start in range(0, len(rows), limit)]
        for batch in batches:
            yield sql, [_named_params(row) for row in batch] if named else batch

    def _rows_per_statement(self, sample_row: Sequence, cap: int) -> int:
        packet = self._server_info.max_allowed_packet if self._server_info else 4 * 1024 * 1024
        return max(1, min(cap, (packet // 2) // max(_estimate_row_bytes(sample_row), 1)))


@lru_cache(maxsize=512)
def _row_builder(names: tuple[str, ...]) -> Callable[[Sequence], dict]:
    """``row -> {name: value}`` as one dict display, several times faster than
    ``dict(zip(names, row))`` on the per-row hot path. Names are embedded with ``repr`` (string
    literals), so no column name can inject code; duplicate names keep the last value, like
    ``dict(zip())``."""
    if not all(isinstance(n, str) for n in names):
        return lambda row: dict(zip(names, row, strict=False))
    body = ", ".join(f"{name!r}: r[{i}]" for i, name in enumerate(names))
    return eval(f"lambda r: {{{body}}}")  # noqa: S307 - built from repr() literals only


def _named_params(params: tuple[Any, ...]) -> dict[str, Any]:
    """Positional parameters as the dict ``named_placeholders`` text takes."""
    return {str(i): value for i, value in enumerate(params, 1)}


def _estimate_row_bytes(row: Sequence) -> int:
    size = 0
    for value in row:
        if isinstance(value, (str, bytes, bytearray)):
            size += len(value) * 2 + 4
        else:
            size += 24
    return size
