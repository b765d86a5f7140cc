"""Statement preparation: parameter conversion, ``%`` escaping and what a statement expects back.

The execution path replaces the core's generic ``execute()``: that one formats a log line
eagerly and looks an adapter up per parameter; here conversion is one dict lookup per value,
and what depends on the statement text alone is worked out once per text (``StaticPlan``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from datetime import date, datetime
from datetime import time as time_
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar, get_origin

from rhosocial.activerecord.backend.expression.bases import ToSQLProtocol
from rhosocial.activerecord.backend.options import (
    BulkInsertOptions,
    ExecutionOptions,
    InsertOptions,
    UpdateOptions,
)
from rhosocial.activerecord.backend.schema import StatementType

from .adapters import (
    DRIVER_TYPES,
    FAST_TO_DATABASE,
    SUGGESTED_DB_TYPES,
    Converter,
    MySQLDateTimeAdapter,
    bind_parameters,
    to_utc_naive,
)
from .backend_state import FamilyState
from .sqltext import escape_percent, is_read_only, named_placeholders

_PLAIN_DQL = ExecutionOptions(stmt_type=StatementType.DQL)
#: Bound natively by both drivers: no adapter call on the way in (aware datetimes do go
#: through theirs: ``datetime`` is not listed).
_NATIVE = (Decimal, date, time_)
#: Statement texts remembered per backend (ORM statements repeat; ad-hoc ones must not grow it).
_STATIC_PLANS_MAX = 4096

#: (statement text, id of its type, process_result_set, has parameters)
PlanKey = tuple[str, int | None, bool | None, bool]
#: Parameters as sent: positional, or by name where ``named_placeholders`` rewrote the text.
Params = tuple[Any, ...] | dict[str, Any] | None
WriteOptions = TypeVar("WriteOptions", InsertOptions, UpdateOptions, BulkInsertOptions)


def declared_db_type(adapter: Any, py_type: type) -> Any:
    """The one DB type ``adapter`` declares for values of ``py_type`` (keys may be generics such
    as ``List[str]``), or None: none or several declared, or the value is an SQL expression."""
    if issubclass(py_type, ToSQLProtocol):
        return None
    targets: set[Any] = set()
    for key, db_types in adapter.supported_types.items():
        base = get_origin(key) or key
        if isinstance(base, type) and issubclass(py_type, base):
            targets |= set(db_types)
    return next(iter(targets)) if len(targets) == 1 else None


class StaticPlan(NamedTuple):
    """What depends on a statement's text and options alone."""

    text: str  # as sent: ``%`` doubled where the driver interpolates
    stmt_type: StatementType
    fetch: bool | None  # None: return rows if the server sends any
    read_only: bool
    named: bool  # parameters go as a dict (``named_placeholders`` rewrote the text)


@dataclasses.dataclass(slots=True)
class Plan:
    """One statement, ready for the driver."""

    sql: str
    params: Params
    stmt_type: StatementType
    fetch: bool | None  # None: return rows if the server sends any
    read_only: bool
    column_adapters: dict[str, Any] | None
    column_mapping: dict[str, str] | None
    started: float
    attempt: int = 0


class StatementPreparation(FamilyState):
    """Parameters in, statement text out, and the model's own ``UseAdapter`` conversions."""

    #: PyMySQL/aiomysql interpolate with Python's ``%`` operator (literal ``%`` must be doubled);
    #: mysql-connector substitutes ``%s`` tokens only and leaves every other ``%`` alone.
    percent_needs_escape = True

    _static_plans: dict[PlanKey, StaticPlan]
    _suggestions: dict[type, tuple[Any, Any]] | None
    _own_adapter_ids: frozenset[int] | None
    _converters: dict[type, Converter] | None

    def _init_statements(self) -> None:
        self._static_plans = {}
        self._suggestions = None
        self._own_adapter_ids = None
        self._converters = None

    def get_default_adapter_suggestions(self) -> dict[type, tuple[Any, Any]]:
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
                    converters[py_type] = _adapter_converter(adapter, db_type)
            self._converters = converters
        return self._converters

    def _convert_params(self, params: Sequence[Any], row: int | None = None) -> tuple[Any, ...]:
        return bind_parameters(params, self._converters or self._param_converters(), row)

    def _with_declared_adapters(self, options: WriteOptions) -> WriteOptions:
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

        if isinstance(options, BulkInsertOptions):
            cols = options.columns
            if declared.keys().isdisjoint(cols):
                return options
            rows = [[write(c, v) for c, v in zip(cols, row, strict=True)] for row in options.rows]
            # mypy narrows the constrained TypeVar to an InsertOptions/BulkInsertOptions
            # intersection here and loses ``rows``; options is a BulkInsertOptions
            return dataclasses.replace(options, rows=rows)  # type: ignore[call-arg]
        if declared.keys().isdisjoint(options.data):
            return options
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

    def _plan(
        self, sql: str, params: Sequence[Any] | None, options: ExecutionOptions | None
    ) -> Plan:
        started = time.perf_counter()
        bound: tuple[Any, ...] | None
        if params:
            if isinstance(params, dict):
                raise TypeError("the MySQL family backends take positional %s parameters only")
            bound = bind_parameters(params, self._converters or self._param_converters())
        else:
            bound = None
        key: PlanKey
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

    def _static_plan(self, key: PlanKey, options: ExecutionOptions | None) -> StaticPlan:
        """What depends on the statement text and options alone (cached: ORM statements repeat).

        Without options the statement counts as DDL and returns rows only if the server sends
        some (``fetch=None``); with options, ``process_result_set`` decides, else the type.
        """
        sql, _, process_result_set, bound = key
        stmt_type = options.stmt_type if options is not None else None
        fetch: bool | None
        if stmt_type is None:
            stmt_type, fetch = StatementType.DDL, None
        elif process_result_set is not None:
            fetch = process_result_set
        else:
            fetch = stmt_type in (StatementType.DQL, StatementType.SELECT, StatementType.EXPLAIN)
        text, named = self._placeholder_text(sql) if bound else (sql, False)
        static = StaticPlan(text, stmt_type, fetch, is_read_only(sql), named)
        if len(self._static_plans) >= _STATIC_PLANS_MAX:
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


def _named_params(params: tuple[Any, ...]) -> dict[str, Any]:
    """Positional parameters as the dict ``named_placeholders`` text takes."""
    return {str(i): value for i, value in enumerate(params, 1)}


def _adapter_converter(adapter: Any, db_type: Any) -> Converter:
    return lambda value: adapter.to_database(value, db_type)
