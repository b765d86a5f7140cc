"""What the sync and async backends share that is not I/O: configuration, identity, adapters,
statement preparation and the caches.

The I/O is written once, in ``async_backend.py`` (``AsyncPostgresBackend``); ``backend.py``
(``PostgresBackend``) is generated from it by ``tools/async_to_sync.py``. Both put this class
before the core's ``AsyncStorageBackend``/``StorageBackend``.

The hot path (``execute``/``fetch_one``/``fetch_all``) is deliberately lean: the core's generic
``execute`` formats a log line eagerly and looks an adapter up per parameter; here logging costs
one ``isEnabledFor`` check, parameters are converted only for the few types psycopg cannot bind,
and the result dicts are built in one comprehension (``row_readers``).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any, NoReturn

import psycopg

from rhosocial.activerecord.backend.config import ConnectionConfig
from rhosocial.activerecord.backend.options import ExecutionOptions
from rhosocial.activerecord.backend.schema import StatementType
from rhosocial.activerecord.backend.type_adapter import SQLTypeAdapter

from .adapters import DeclaredWriters, ParamConverter, default_suggestions, install_adapters
from .config import PostgresConnectionConfig
from .dialect import PostgresDialect
from .features import parse_server_version
from .introspection.backend_mixin import PostgresIntrospectionMixin
from .results import ColumnCache
from .statements import StatementCache

# Bound parameters: positional (``%s``) or named (``%(name)s``); values are any bindable value.
Params = Sequence[Any] | Mapping[str, Any] | None

_DQL = StatementType.DQL
_DEBUG = logging.DEBUG
_CURSOR_IDS = itertools.count(1)


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


class PostgresBackendBase(PostgresIntrospectionMixin):
    """Placed before the core ``StorageBackend``/``AsyncStorageBackend``."""

    config: PostgresConnectionConfig
    _server_version_cache: tuple[int, int, int] | None

    def __init__(self, **kwargs: Any) -> None:
        config = as_postgres_config(kwargs.pop("connection_config", None), kwargs)
        # A mixin: the next class of the MRO is the core's StorageBackend/AsyncStorageBackend.
        super().__init__(connection_config=config, **kwargs)  # type: ignore[call-arg]
        self._dialect = PostgresDialect()
        self._transaction_lost = False
        self._statements = StatementCache()
        self._column_cache = ColumnCache()
        # Bound once: the hot path calls it per statement.
        self._columns = self._column_cache.read
        self._adapters = install_adapters(self.adapter_registry)  # type: ignore[attr-defined]  # the core's registry, made by its __init__
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

    def get_default_adapter_suggestions(self) -> dict[type, tuple[SQLTypeAdapter, Any]]:
        """Built once in ``__init__``: the ORM calls this on every query."""
        return self._suggestions

    def get_default_schema(self) -> str | None:
        if self.config.search_path:
            return self.config.search_path.split(",")[0].strip() or "public"
        return "public"

    def _secrets(self) -> tuple[str | None, ...]:
        return (self.config.password, self.config.sslpassword)

    def _connect_args(self) -> dict[str, Any]:
        """``psycopg.[Async]Connection.connect`` arguments (secrets included: never log them)."""
        return {
            "autocommit": True,
            "prepare_threshold": self.config.effective_prepare_threshold(),
            **self.config.connect_kwargs(),
        }

    def _adapt_to_connection(self, conn: psycopg.BaseConnection[Any]) -> None:
        """After connect: the version libpq reported at startup (no extra round trip)."""
        if self._column_cache.set_encoding(conn.info.encoding):
            self._statements.clear()
        version = parse_server_version(conn.info.server_version)
        self._server_version_cache = version
        self._dialect.version = version

    @staticmethod
    def _cursor_name() -> str:
        return f"ar_cursor_{next(_CURSOR_IDS)}"

    # -- statement preparation ---------------------------------------------------------------

    def _prepare(self, sql: str, params: Params) -> tuple[str, Params]:
        """(sql, params) as psycopg should receive them. No parameters: sent verbatim."""
        if not params:
            return sql, None
        return self._statements.statement(sql).escaped, self._converter.convert(params)

    def _prepare_sql_and_params(self, sql: str, params: Params) -> tuple[str, Params]:
        """The core's batch paths call this hook: same escaping and conversion as execute()."""
        return self._prepare(sql, params)

    def _convert_rows(
        self, rows: Sequence[Sequence[Any] | Mapping[str, Any]]
    ) -> list[Sequence[Any] | Mapping[str, Any]]:
        convert = self._converter.convert
        return [convert(row) for row in rows]

    @staticmethod
    def _wants_rows(options: ExecutionOptions | None) -> bool | None:
        """True/False from the options; None = fetch whatever the statement returns."""
        if options is None:
            return None
        if options.process_result_set is not None:
            return bool(options.process_result_set)
        return bool(options.stmt_type == _DQL)

    def _log_statement(self, sql: str, params: Params | str) -> None:
        if self.logger.isEnabledFor(_DEBUG):  # type: ignore[attr-defined]  # the core's LoggingMixin
            summary = self.summarize_log_data(params)  # type: ignore[attr-defined]  # the core's
            self.log(_DEBUG, f"Executing SQL: {sql}, parameters: {summary}")  # type: ignore[attr-defined]  # the core's LoggingMixin

    @staticmethod
    def _reraise(exc: BaseException, cause: BaseException) -> NoReturn:
        if exc is cause:
            raise cause
        raise exc from cause
