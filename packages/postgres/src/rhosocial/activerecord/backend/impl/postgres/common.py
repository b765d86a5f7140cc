"""Everything the sync and async backends share: all of it except the calls that touch the socket.

Statement preparation (parameter conversion, ``%`` escaping), result shaping, error mapping,
the reconnect policy, bulk-insert planning and the adapter registry live here once. So do the
I/O sequences themselves (run a statement, transaction control, ``executemany``, ping), written
once as ``async def`` methods: ``async_backend.py`` uses them as they are, and ``backend.py``
uses their synchronous twins, which ``synchronous()`` derives from the same source at import
(the code without ``async``/``await``; no generated file, no per-call cost). The two backends
keep only what differs: the psycopg connection class and iteration.

The hot path (``execute``/``fetch_one``/``fetch_all``) is deliberately lean: the core's generic
``execute`` formats a log line eagerly and looks an adapter up per parameter; here logging costs
one ``isEnabledFor`` check, parameters are converted only for the few types psycopg cannot bind,
and the result dicts are built in one comprehension.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import re
import textwrap
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import fields, replace
from typing import Any, NoReturn

import psycopg

from rhosocial.activerecord.backend.config import ConnectionConfig
from rhosocial.activerecord.backend.options import ExecutionOptions
from rhosocial.activerecord.backend.result import QueryResult
from rhosocial.activerecord.backend.schema import StatementType

from .adapters import (
    DeclaredWriters,
    ParamConverter,
    PostgresEnumAdapter,
    PostgresJSONAdapter,
    PostgresJSONBAdapter,
    default_suggestions,
)
from .config import PostgresConnectionConfig
from .dialect import PostgresDialect
from .errors import ConnectionLostError, is_connection_lost, map_error
from .features import parse_server_version

# PostgreSQL's limit on bind parameters in one statement (a 16-bit count in the protocol).
MAX_PARAMS = 65535
# Rows per multi-row INSERT: large enough to amortise the round trip, small enough to keep
# statements (and the server's parse) cheap.
BULK_ROWS = 1000

_DQL = StatementType.DQL
_TS = psycopg.pq.TransactionStatus
_CLEAN_STATES = (_TS.IDLE, _TS.INTRANS, _TS.INERROR)
_DEBUG = logging.DEBUG
_CURSOR_IDS = itertools.count(1)

# Placeholders psycopg understands, string literals and quoted identifiers (where every ``%``
# is literal), and any other ``%``.
_PERCENT_TOKENS = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|%(?:\([^)]*\))?[sbt]|%""")
_READ_ONLY_SQL = re.compile(r"\s*(?:SELECT|SHOW|VALUES|TABLE)\b", re.IGNORECASE)
_WRITE_WORDS = re.compile(
    r"\b(?:INSERT|UPDATE|DELETE|MERGE|NEXTVAL|SETVAL|INTO|FOR\s+UPDATE)\b", re.IGNORECASE
)


def _escape_token(m: re.Match[str]) -> str:
    tok = m.group(0)
    if tok == "%":
        return "%%"
    if tok[0] in "'\"":
        return tok.replace("%", "%%")
    return tok  # a placeholder


def escape_percent(sql: str) -> str:
    """Double every ``%`` that is not a psycopg placeholder, so literal ``%`` survives binding."""
    return _PERCENT_TOKENS.sub(_escape_token, sql)


def is_read_only_statement(sql: str) -> bool:
    """A statement that only reads: safe to send again after the connection died before replying.

    A SELECT that calls a function with side effects is beyond what SQL text can tell; the
    obvious writers (nextval, SELECT INTO, FOR UPDATE, data-modifying CTEs) are excluded.
    """
    return bool(_READ_ONLY_SQL.match(sql)) and not _WRITE_WORDS.search(sql)


# Result types whose binary loaders give exactly what their text loaders give. Reading these in
# binary skips parsing text (a 100-row page of numbers and timestamps loads ~15% faster).
# float4 is not here: in binary it keeps the float's full width (1.1 -> 1.100000023841858);
# nor is anything psycopg has no binary loader for (it would come back as bytes).
SAME_IN_BINARY = frozenset(
    {
        16, 17, 19, 20, 21, 23, 25, 26,  # bool bytea name int8 int2 int4 text oid
        114, 701, 1042, 1043, 1082, 1083,  # json float8 bpchar varchar date time
        1114, 1184, 1186, 1266, 1700, 2950, 3802,  # timestamp(tz) interval timetz numeric uuid jsonb
    }
)  # fmt: skip

RowShapers = tuple[Callable[[list], list[dict[str, Any]]], Callable[[Any], dict[str, Any]]]
_SHAPERS: dict[tuple[str, ...], RowShapers] = {}
# A result's column names with their two shapers (see ``PostgresBackendCommon._columns``).
Columns = tuple[
    tuple[str, ...], Callable[[list], list[dict[str, Any]]], Callable[[Any], dict[str, Any]]
]


def row_shapers(names: tuple[str, ...]) -> RowShapers:
    """``(rows -> [dict, ...], row -> dict)`` for this column list, compiled once.

    A dict display of constant keys builds a row about twice as fast as
    ``dict(zip(names, row))``: on a 100-row page that is most of the backend's cost over raw
    psycopg. Keys are embedded with ``repr`` (always a valid literal, whatever the server
    named the column); a repeated name keeps its last value, as ``dict(zip())`` would.
    """
    shapers = _SHAPERS.get(names)
    if shapers is None:
        if len(_SHAPERS) >= 1024:
            _SHAPERS.clear()
        row = "{" + ", ".join(f"{name!r}: r[{i}]" for i, name in enumerate(names)) + "}"
        namespace: dict[str, Any] = {}
        source = (
            f"def many(rows):\n    return [{row} for r in rows]\ndef one(r):\n    return {row}\n"
        )
        exec(source, namespace)  # noqa: S102 - keys are repr() literals, see above
        shapers = _SHAPERS[names] = (namespace["many"], namespace["one"])
    return shapers


class Statement:
    """What a backend has learned about one SQL text, so that running it again is cheap.

    ``escaped``: the text with every literal ``%`` doubled, for execution with parameters.
    ``binary``: read its results in binary (True) or text (False); None until its first result.
    ``raw_names``/``columns``: its last result's column names as libpq gave them and the
    ``Columns`` built for them. Names are still read from every result (a schema change can
    rename them under the same text) but compared with these, not hashed and looked up.
    """

    __slots__ = ("escaped", "binary", "raw_names", "columns")

    def __init__(self, escaped: str) -> None:
        self.escaped = escaped
        self.binary: bool | None = None
        self.raw_names: tuple[bytes, ...] = ()
        self.columns: Columns | None = None


_NAME_READERS: dict[int, Callable[[Callable[[int], bytes]], tuple[bytes, ...]]] = {}


def name_reader(count: int) -> Callable[[Callable[[int], bytes]], tuple[bytes, ...]]:
    """``fname -> (fname(0), ..., fname(count - 1))``, compiled once per column count.

    Column names are read from every result; spelled out, the calls cost a lookup about 2 us
    less than ``tuple(map(fname, range(count)))`` (measured in place, between network round
    trips, where the generic iteration machinery is not in the CPU's caches).
    """
    reader = _NAME_READERS.get(count)
    if reader is None:
        calls = "".join(f"f({i}), " for i in range(count))
        reader = _NAME_READERS[count] = eval(f"lambda f: ({calls})")  # noqa: S307 - digits only
    return reader


_ASYNC_WORDS = re.compile(r"\bawait\s+|\basync\s+(?=def\b|for\b|with\b)")


def synchronous(method: Callable[..., Any]) -> Callable[..., Any]:
    """The synchronous twin of an ``async def`` method: its own source without ``async`` and
    ``await``, compiled at import with the original file name and line numbers (tracebacks
    point at the one source). Only for methods whose awaits are all driver or backend calls
    that the sync backend has as plain methods of the same names.
    """
    lines, first = inspect.getsourcelines(method)
    source = textwrap.dedent("".join(lines))
    code = compile(
        "\n" * (first - 1) + _ASYNC_WORDS.sub("", source), inspect.getfile(method), "exec"
    )
    namespace: dict[str, Any] = {}
    exec(code, method.__globals__, namespace)  # noqa: S102 - our own source, see above
    twin = namespace[method.__name__]
    twin.__qualname__, twin.__doc__ = method.__qualname__, method.__doc__
    return twin


def as_postgres_config(
    config: ConnectionConfig | None, kwargs: dict[str, Any]
) -> PostgresConnectionConfig:
    """Accept a PostgresConnectionConfig, a plain core ConnectionConfig, or loose kwargs."""
    names = {f.name for f in fields(PostgresConnectionConfig)}
    if isinstance(config, PostgresConnectionConfig):
        return config
    if config is not None:
        values = {k: v for k, v in vars(config).items() if k in names and v is not None}
        return PostgresConnectionConfig(**values)
    values = {k: kwargs.pop(k) for k in list(kwargs) if k in names}
    return PostgresConnectionConfig(**values)


class PostgresBackendCommon:
    """Mixin placed before the core ``StorageBackend``/``AsyncStorageBackend``."""

    config: PostgresConnectionConfig

    def __init__(self, **kwargs: Any) -> None:
        config = as_postgres_config(kwargs.pop("connection_config", None), kwargs)
        super().__init__(connection_config=config, **kwargs)
        self._dialect = PostgresDialect()
        self._transaction_lost = False
        self._encoding = "utf-8"
        self._statements: dict[str, Statement] = {}
        self._columns_cache: dict[tuple[bytes, ...], Columns] = {}
        self._adapters = {
            "jsonb": PostgresJSONBAdapter(),
            "json": PostgresJSONAdapter(),
            "enum": PostgresEnumAdapter(),
        }
        for adapter in self._adapters.values():
            for py_type, db_types in adapter.supported_types.items():
                for db_type in db_types:
                    self.adapter_registry.register(adapter, py_type, db_type, allow_override=True)
        self._suggestions = default_suggestions(self._adapters)
        self._converter = ParamConverter(self._suggestions)
        self._declared = DeclaredWriters(self._adapters.values())  # the suggestions' too

    # -- identity ------------------------------------------------------------------------------

    @property
    def dialect(self) -> PostgresDialect:
        return self._dialect

    @property
    def threadsafety(self) -> int:
        """psycopg connections are thread-safe (statements are serialised per connection)."""
        return 2

    def get_default_adapter_suggestions(self) -> dict[type, tuple[Any, Any]]:
        """Built once in ``__init__``: the ORM calls this on every query."""
        return self._suggestions

    def get_default_schema(self) -> str | None:
        if self.config.search_path:
            return self.config.search_path.split(",")[0].strip() or "public"
        return "public"

    def _secrets(self) -> tuple[str | None, ...]:
        return (self.config.password, self.config.sslpassword)

    def _adapt_to_connection(self, conn: psycopg.BaseConnection) -> None:
        """After connect: the version libpq reported at startup (no extra round trip)."""
        if conn.info.encoding != self._encoding:
            self._encoding = conn.info.encoding
            self._columns_cache.clear()
            self._statements.clear()
        version = parse_server_version(conn.info.server_version)
        self._server_version_cache = version
        self._dialect.version = version

    @staticmethod
    def _cursor_name() -> str:
        return f"ar_cursor_{next(_CURSOR_IDS)}"

    def _prepare_sql_and_params(self, sql: str, params: Any) -> tuple[str, Any]:
        """The core's batch paths call this hook: same escaping and conversion as execute()."""
        return self._prepare(sql, params)

    @property
    def _in_tx(self) -> bool:
        tm = self._transaction_manager
        return tm is not None and tm._transaction_level > 0

    # -- statement preparation ---------------------------------------------------------------

    def _statement(self, sql: str) -> Statement:
        """What this backend knows of ``sql`` (see ``Statement``), made on first use."""
        stmt = self._statements.get(sql)
        if stmt is None:
            if len(self._statements) >= 2048:
                self._statements.clear()
            stmt = self._statements[sql] = Statement(escape_percent(sql))
        return stmt

    def _prepare(self, sql: str, params: Any) -> tuple[str, Any]:
        """(sql, params) as psycopg should receive them. No parameters: sent verbatim."""
        if not params:
            return sql, None
        return self._statement(sql).escaped, self._converter.convert(params)

    def _convert_rows(self, rows: Sequence[Sequence[Any]]) -> list[Any]:
        convert = self._converter.convert
        return [convert(row) for row in rows]

    @staticmethod
    def _wants_rows(options: ExecutionOptions | None) -> bool | None:
        """True/False from the options; None = fetch whatever the statement returns."""
        if options is None:
            return None
        if options.process_result_set is not None:
            return options.process_result_set
        return options.stmt_type == _DQL

    def _log_statement(self, sql: str, params: Any) -> None:
        if self.logger.isEnabledFor(_DEBUG):
            self.log(_DEBUG, f"Executing SQL: {sql}, parameters: {self.summarize_log_data(params)}")

    # -- results ---------------------------------------------------------------------------------

    def _columns(self, cursor: Any, stmt: Statement | None = None) -> Columns | None:
        """``(names, rows -> dicts, row -> dict)`` of the current result, or None without one.

        Names are read straight from the libpq result (``cursor.description`` builds a Column
        object per column on every access) and decoded and compiled once per column list.
        With the statement that produced the result, its last column list is tried first.
        """
        res = cursor.pgresult
        count = res.nfields if res is not None else 0
        if not count:
            return None
        raw = name_reader(count)(res.fname)
        if stmt is not None and raw == stmt.raw_names:
            return stmt.columns
        columns = self._columns_cache.get(raw)
        if columns is None:
            if len(self._columns_cache) >= 1024:
                self._columns_cache.clear()
            names = tuple([name.decode(self._encoding) for name in raw])
            columns = self._columns_cache[raw] = (names, *row_shapers(names))
        if stmt is not None:
            stmt.raw_names, stmt.columns = raw, columns
        return columns

    @staticmethod
    def _settle_result_format(cursor: Any, stmt: Statement) -> bool:
        """After a statement not known to need text returned rows: how to read it from now on.

        Binary is chosen for read-only statements with parameters (extended protocol already)
        whose columns are all ``SAME_IN_BINARY`` and whose first result had several rows.
        Returns True when this binary result has a column of another type (the schema
        changed): the caller reads it again in text, which a read-only statement allows.
        """
        res = cursor.pgresult
        same = SAME_IN_BINARY.issuperset(map(res.ftype, range(res.nfields)))
        if stmt.binary is None:
            # Binary saves per value loaded, this check costs per result: single-row lookups
            # (first result of at most one row) stay in text and skip the check.
            many = res.ntuples > 1
            stmt.binary = same and many and is_read_only_statement(stmt.escaped)
            return False
        if not same:
            stmt.binary = False
            return True
        return False

    @staticmethod
    def _shape_rows(
        names: tuple[str, ...],
        rows: list[tuple[Any, ...]],
        column_adapters: dict[str, Any] | None = None,
        column_mapping: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Tuples -> dicts keyed by column (or mapped field) name, through the column adapters."""
        if column_adapters:
            plan = []
            for i, name in enumerate(names):
                info = column_adapters.get(name)
                if info and isinstance(info, tuple):
                    plan.append((i, info[0].from_database, info[1]))
            if plan:
                converted = []
                for row in rows:
                    row = list(row)
                    for i, from_db, py_type in plan:
                        row[i] = from_db(row[i], py_type)
                    converted.append(row)
                rows = converted
        if column_mapping:
            names = tuple([column_mapping.get(n, n) for n in names])
        return row_shapers(names)[0](rows)

    def _one_row_shaper(self, cursor: Any) -> Callable[[Any], dict[str, Any]]:
        columns = self._columns(cursor)
        return columns[2] if columns else lambda row: {}  # zero columns: empty rows

    def _all_rows(self, columns: Columns, rows: list, adapters: Any, mapping: Any) -> list:
        if not rows:
            return []
        if adapters or mapping:
            return self._shape_rows(columns[0], rows, adapters, mapping)
        return columns[1](rows)

    def _make_result(
        self,
        cursor: Any,
        columns: Columns | None,
        rows: list | None,
        options: ExecutionOptions | None,
        duration: float,
    ) -> QueryResult:
        data = None
        if rows is not None:
            adapters, mapping = (
                (None, None)
                if options is None
                else (options.column_adapters, options.column_mapping)
            )
            data = self._all_rows(columns, rows, adapters, mapping)
        return QueryResult(
            data=data, affected_rows=cursor.rowcount, last_insert_id=None, duration=duration
        )

    # -- errors and the reconnect policy ---------------------------------------------------

    def _translate(self, error: BaseException, conn: Any = None) -> BaseException:
        """The exception to raise for a driver error (others are returned unchanged)."""
        if isinstance(error, psycopg.Error):
            mapped = map_error(error, connection=conn, secrets=self._secrets())
            return mapped
        return error

    def _lost_in_transaction(self) -> ConnectionLostError:
        self._transaction_lost = True
        err = ConnectionLostError(
            "connection to PostgreSQL lost inside a transaction: the transaction is gone and no "
            "statement of it was re-run; roll it back and retry the whole transaction"
        )
        err.sqlstate, err.constraint, err.retryable = None, None, True
        return err

    def _may_resend(self, error: BaseException, sql: str, conn: Any, sent: bool) -> bool:
        """Reconnect and send again? Only outside a transaction, and only if nothing can double:
        the statement never left, or it only reads."""
        if self._in_tx or self._transaction_lost:
            return False
        if not is_connection_lost(error, conn):
            return False
        return not sent or is_read_only_statement(sql)

    def _failure(
        self, error: BaseException, sql: str, sent: bool, attempt: int
    ) -> tuple[BaseException | None, bool, str | None]:
        """What to do after a statement failed: ``(exception or None to resend, close the
        connection?, savepoint to roll back to)``. Pure decision; the caller does the I/O."""
        conn = self._connection
        if not isinstance(error, psycopg.Error):
            # Interrupted (task cancelled, KeyboardInterrupt) or a client-side bug. psycopg has
            # already cancelled the query on the server; keep the connection only if it is
            # provably back at a statement boundary.
            dirty = conn is not None and (
                conn.broken or conn.closed or conn.info.transaction_status not in _CLEAN_STATES
            )
            if dirty and self._in_tx:
                self._transaction_lost = True
            return error, dirty, None
        lost = conn is None or conn.broken or conn.closed or is_connection_lost(error, conn)
        if lost:
            if attempt == 0 and self._may_resend(error, sql, conn, sent):
                return None, True, None
            if self._in_tx:
                exc: BaseException = self._lost_in_transaction()
                exc.__cause__ = error
                return exc, True, None
            return self._translate(error, conn), True, None
        savepoint = self._transaction_manager.current_savepoint if self._in_tx else None
        return self._translate(error, conn), False, savepoint

    # -- writes through the ORM ---------------------------------------------------------------

    def _apply_declared_adapters(self, options: Any) -> Any:
        """Insert/update/bulk-insert options with the model's ``UseAdapter`` conversions applied."""
        adapters = self._declared.for_columns(options.column_adapters)
        if not adapters:
            return options
        write = self._declared.write
        if hasattr(options, "rows"):  # BulkInsertOptions
            where = [(i, adapters[c]) for i, c in enumerate(options.columns) if c in adapters]
            if not where:
                return options
            rows = []
            for row in options.rows:
                row = list(row)
                for i, adapter in where:
                    row[i] = write(adapter, row[i])
                rows.append(row)
            return replace(options, rows=rows)
        data = {c: write(adapters[c], v) if c in adapters else v for c, v in options.data.items()}
        return replace(options, data=data)

    # -- bulk insert planning ------------------------------------------------------------------

    def _plan_bulk_insert(self, options: Any) -> Iterator[tuple[str, list]] | None:
        """Multi-row VALUES statements, each under PostgreSQL's parameter limit.

        Returns None when a value is an SQL expression (the core's expression path handles it).
        """
        from rhosocial.activerecord.backend.base.operations import _is_sql_expression

        rows = options.rows
        columns = list(options.columns)
        if not rows or not columns:
            return None
        for row in rows:
            for value in row:
                if _is_sql_expression(value):
                    return None
        d = self._dialect
        table = d.format_identifier(options.table)
        if options.schema_name:
            table = f"{d.format_identifier(options.schema_name)}.{table}"
        head = f"INSERT INTO {table} ({', '.join(d.format_identifier(c) for c in columns)}) VALUES "
        tail = ""
        if options.returning_columns:
            tail = " RETURNING " + ", ".join(
                d.format_identifier(c) for c in options.returning_columns
            )
        group = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_stmt = max(1, min(BULK_ROWS, MAX_PARAMS // len(columns)))

        def plan() -> Iterator[tuple[str, list]]:
            convert = self._converter.convert
            for start in range(0, len(rows), per_stmt):
                chunk = rows[start : start + per_stmt]
                params: list = []
                for row in chunk:
                    params.extend(convert(row))
                yield head + ", ".join([group] * len(chunk)) + tail, params

        return plan()

    @staticmethod
    def _bulk_options(options: Any) -> ExecutionOptions:
        return ExecutionOptions(
            stmt_type=StatementType.DML,
            column_adapters=options.column_adapters,
            column_mapping=options.column_mapping,
            process_result_set=bool(options.returning_columns),
        )

    @staticmethod
    def _merge_results(results: list[QueryResult], duration: float) -> QueryResult:
        data: list | None = None
        for r in results:
            if r.data is not None:
                data = (data or []) + r.data
        return QueryResult(
            data=data, affected_rows=sum(r.affected_rows or 0 for r in results), duration=duration
        )

    # -- the I/O sequences: async here, their sync twins made by ``synchronous`` -------------

    def _connect_args(self) -> dict[str, Any]:
        """``psycopg.[Async]Connection.connect`` arguments (secrets included: never log them)."""
        return {
            "autocommit": True,
            "prepare_threshold": self.config.prepare_threshold,
            **self.config.connect_kwargs(),
        }

    def _adopt(self, conn: Any) -> None:
        """Take a fresh connection into use."""
        self._connection = conn
        self._cursor = conn.cursor()
        self._transaction_lost = False
        self._adapt_to_connection(conn)

    def _ready_cursor(self) -> Any:
        """The cursor to send on, None when the connection must be opened first; raises when a
        transaction's connection is gone (nothing of it may run on a new one)."""
        if self._transaction_lost and self._in_tx:
            raise self._lost_in_transaction()
        cur = self._cursor
        if cur is None or self._connection.closed:
            if self._in_tx:
                raise self._lost_in_transaction()
            return None
        return cur

    @staticmethod
    def _reraise(exc: BaseException, cause: BaseException) -> NoReturn:
        if exc is cause:
            raise cause
        raise exc from cause

    async def _recover_io(self, close: bool, savepoint: str | None) -> Any:
        """After a failed statement: drop the connection, or roll back to its savepoint so the
        enclosing transaction can carry on."""
        if close:
            await self._close_quietly()
        elif savepoint is not None:
            try:
                await self._cursor.execute(
                    f"ROLLBACK TO SAVEPOINT {self._dialect.format_identifier(savepoint)}"
                )
            except psycopg.Error:
                pass  # the original error is what the caller needs to see

    async def _run_io(self, sql: str, params: Any, want: bool | None) -> Any:
        """Send one statement; returns ``(cursor, columns, rows)`` (see ``_columns``).

        Reconnects and resends only where ``_failure`` says nothing can be lost or doubled.
        Results come in binary for statements known to read the same that way.
        """
        if self._logger is None or self._logger.isEnabledFor(_DEBUG):
            self._log_statement(sql, params)
        if params:
            stmt = self._statements.get(sql) or self._statement(sql)
            final_sql, params = stmt.escaped, self._converter.convert(params)
        else:  # sent verbatim: no escaping, and nothing learned about it
            final_sql, params, stmt = sql, None, None
        ask = want and stmt is not None
        for attempt in (0, 1):
            sent = False
            try:
                cur = self._cursor
                if cur is None or self._transaction_lost or self._connection.closed:
                    if self._ready_cursor() is None:  # raises if a transaction was lost
                        await self.connect()
                    cur = self._cursor
                sent = True
                binary = stmt.binary if ask else None
                await cur.execute(final_sql, params, binary=binary)
                columns = self._columns(cur, stmt)
                if ask and binary is not False and columns:
                    if self._settle_result_format(cur, stmt):
                        await cur.execute(final_sql, params)
                        columns = self._columns(cur, stmt)
                if not columns or want is False:
                    return cur, columns, ([] if want else None)
                return cur, columns, await cur.fetchall()
            except BaseException as e:
                exc, close, savepoint = self._failure(e, final_sql, sent, attempt)
                await self._recover_io(close, savepoint)
                if exc is not None:
                    self._reraise(exc, e)
        raise AssertionError("unreachable")  # pragma: no cover

    # The public entry points, written once the same way: each backend binds these to
    # ``execute``, ``fetch_one``, ``fetch_all`` and ``execute_many``.

    async def _execute(
        self, sql: str, params: Any = None, *, options: ExecutionOptions | None = None
    ) -> QueryResult:
        start = time.perf_counter()
        cur, columns, rows = await self._run_io(sql, params, self._wants_rows(options))
        return self._make_result(cur, columns, rows, options, time.perf_counter() - start)

    async def _fetch_one(
        self, sql: str, params: Any = None, column_adapters: Any = None, column_mapping: Any = None
    ) -> dict | None:
        _, columns, rows = await self._run_io(sql, params, True)
        if not rows:
            return None
        if column_adapters or column_mapping:
            return self._shape_rows(columns[0], rows[:1], column_adapters, column_mapping)[0]
        return columns[2](rows[0])

    async def _fetch_all(
        self, sql: str, params: Any = None, column_adapters: Any = None, column_mapping: Any = None
    ) -> list[dict]:
        _, columns, rows = await self._run_io(sql, params, True)
        return self._all_rows(columns, rows, column_adapters, column_mapping)

    async def _execute_many(self, sql: str, params_list: list[Sequence[Any]]) -> QueryResult:
        """One statement, many parameter sets: psycopg's pipelined ``executemany``."""
        start = time.perf_counter()
        affected = await self._many_io(sql, params_list)
        return QueryResult(affected_rows=affected, duration=time.perf_counter() - start)

    async def _many_io(self, sql: str, params_list: list[Sequence[Any]]) -> Any:
        """One statement, many parameter sets: psycopg's pipelined ``executemany``; never resent."""
        self._log_statement(sql, f"<{len(params_list)} parameter sets>")
        if not params_list:
            return 0
        final_sql, _ = self._prepare(sql, params_list[0])
        rows = self._convert_rows(params_list)
        if self._ready_cursor() is None:
            await self.connect()
        cur = self._cursor
        try:
            await cur.executemany(final_sql, rows)
        except BaseException as e:
            exc, close, savepoint = self._failure(e, final_sql, True, 1)
            await self._recover_io(close, savepoint)
            self._reraise(exc, e)
        return cur.rowcount

    async def _tcl_io(self, sql: str) -> Any:
        """Transaction control: never resent, never followed by a savepoint rollback."""
        self._log_statement(sql, None)
        begins = sql.startswith("BEGIN")
        if self._transaction_lost:
            raise self._lost_in_transaction()
        if self._connection is None or self._connection.closed:
            if self._in_tx and not begins:
                raise self._lost_in_transaction()
            await self.connect()
        try:
            await self._cursor.execute(sql)
        except psycopg.Error as e:
            conn = self._connection
            if conn is None or conn.broken or conn.closed:
                await self._close_quietly()
                if self._in_tx and not begins:
                    raise self._lost_in_transaction() from e
            raise self._translate(e, conn) from e

    async def _ping_io(self, reconnect: bool) -> Any:
        conn = self._connection
        if conn is not None and not conn.closed:
            try:
                await conn.execute("SELECT 1")
                return True
            except psycopg.Error:
                pass
        if not reconnect or self._in_tx:  # a new connection would not carry the transaction
            return False
        try:
            await self.connect()
        except Exception:  # noqa: BLE001 - ping answers, it does not raise
            return False
        return True
