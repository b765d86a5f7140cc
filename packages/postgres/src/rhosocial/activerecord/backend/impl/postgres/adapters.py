"""Type adapters for PostgreSQL, and the parameter conversion table built from them.

psycopg 3 already round-trips most Python types exactly, so the backend converts only where it
does not:

=====================  =======================================================================
Python                 handling
=====================  =======================================================================
datetime (aware)       native -> TIMESTAMPTZ, back as an aware datetime, microseconds intact
date, time, timedelta  native (DATE, TIME, INTERVAL)
Decimal                native NUMERIC, no float on the way
UUID, bool, bytes      native (UUID, BOOLEAN, BYTEA)
list                   native ARRAY (element type inferred); JSON arrays: annotate the field
                       with ``UseAdapter(PostgresJSONBAdapter(), Jsonb)``
dict                   -> ``Jsonb`` (psycopg has no default for dict)
Enum                   -> ``value`` (what pydantic turns back into the member)
=====================  =======================================================================

Anything not in the table is handed to psycopg untouched: no per-value work on the hot path.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import Enum
from typing import Any, get_origin, overload

from psycopg.types.json import Json, Jsonb

from rhosocial.activerecord.backend.type_adapter import BaseSQLTypeAdapter, SQLTypeAdapter
from rhosocial.activerecord.backend.type_registry import TypeRegistry


def _load_json(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8")
    if isinstance(value, str):
        return json.loads(value)
    return value  # psycopg already parsed json/jsonb into dict/list/scalars


class PostgresJSONBAdapter(BaseSQLTypeAdapter):
    """dict/list <-> ``jsonb``. Reads dicts/lists (json/jsonb columns) and JSON text alike."""

    wrapper: type[Json] | type[Jsonb] = Jsonb

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # the core's adapter __init__ is unannotated
        self._register_type(dict, self.wrapper)
        self._register_type(list, self.wrapper)

    def _do_to_database(
        self, value: Any, target_type: type, options: dict[str, Any] | None = None
    ) -> Any:
        if isinstance(value, (Json, Jsonb)):
            return value
        if target_type is str:
            return json.dumps(value)
        return self.wrapper(value)

    def _do_from_database(
        self, value: Any, target_type: type, options: dict[str, Any] | None = None
    ) -> Any:
        return _load_json(value)


class PostgresJSONAdapter(PostgresJSONBAdapter):
    """dict/list <-> ``json`` (keeps key order and duplicates, unlike jsonb)."""

    wrapper = Json


class PostgresEnumAdapter(BaseSQLTypeAdapter):
    """Enum <-> its ``value`` (text or integer columns, or a PostgreSQL enum type by label)."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # the core's adapter __init__ is unannotated
        self._register_type(Enum, str)
        self._register_type(Enum, int)

    def _do_to_database(
        self, value: Enum, target_type: type, options: dict[str, Any] | None = None
    ) -> Any:
        return value.value

    def _do_from_database(
        self, value: Any, target_type: type, options: dict[str, Any] | None = None
    ) -> Any:
        if isinstance(target_type, type) and issubclass(target_type, Enum):
            return target_type(value)
        return value


def _identity(value: Any) -> Any:
    return value


def _enum_value(value: Enum) -> Any:
    return value.value


class ParamConverter:
    """Per-type conversion of bound parameters, decided once per Python type.

    ``convert(params)`` returns ``params`` itself when nothing needs converting (the common
    case), so a plain execute costs one dict lookup per parameter. (Remembering the tuple of
    parameter types that needed nothing costs more between round trips, measured.)
    """

    __slots__ = ("_by_type",)

    def __init__(self, suggestions: dict[type, tuple[SQLTypeAdapter, Any]]) -> None:
        by_type: dict[type, Callable[[Any], Any]] = {}
        for py_type, (adapter, db_type) in suggestions.items():
            by_type[py_type] = (lambda a, t: lambda v: a.to_database(v, t))(adapter, db_type)
        # Types psycopg handles natively: marked so the lookup never has to think about them.
        for native in (type(None), str, int, float, bool, bytes):
            by_type.setdefault(native, _identity)
        self._by_type = by_type

    def _resolve(self, tp: type) -> Callable[[Any], Any]:
        fn: Callable[[Any], Any] = _identity
        if issubclass(tp, Enum) and not issubclass(tp, (str, int)):
            fn = _enum_value
        else:
            for base in tp.__mro__[1:]:
                if base in self._by_type and self._by_type[base] is not _identity:
                    fn = self._by_type[base]
                    break
        self._by_type[tp] = fn
        return fn

    @overload
    def convert(self, params: Sequence[Any]) -> Sequence[Any]: ...

    @overload
    def convert(self, params: Mapping[str, Any]) -> Mapping[str, Any]: ...

    def convert(
        self, params: Sequence[Any] | Mapping[str, Any]
    ) -> Sequence[Any] | Mapping[str, Any]:
        """A parameter sequence or mapping with each value psycopg cannot bind converted."""
        if isinstance(params, dict):
            values = list(params.values())
            converted = self.convert(values)
            return params if converted is values else dict(zip(params, converted, strict=True))
        by_type = self._by_type
        out = None
        for i, value in enumerate(params):
            fn = by_type.get(type(value))
            if fn is None:
                fn = self._resolve(type(value))
            if fn is not _identity:
                if out is None:
                    out = list(params)
                out[i] = fn(value)
        return params if out is None else out


_UNRESOLVED = object()


def _declared_db_type(adapter: SQLTypeAdapter, py_type: type) -> Any:
    """The one DB type ``adapter`` converts ``py_type`` to, or None when none or several match."""
    targets: set[Any] = set()
    for key, db_types in adapter.supported_types.items():
        base = get_origin(key) or key
        if base is py_type or (isinstance(base, type) and issubclass(py_type, base)):
            targets |= set(db_types)
    return targets.pop() if len(targets) == 1 else None


class DeclaredWriters:
    """Applies a model's own ``UseAdapter`` adapters to the values it writes.

    The core hands a model's column adapters to ``insert``/``update``/``bulk_insert`` but uses
    them only to read rows back. Without this, a field declared with
    ``UseAdapter(ListToStringAdapter(), str)`` would be bound as a raw list (a PostgreSQL
    array) and read back through the adapter as something else. The backend's own suggested
    adapters are skipped: the parameter converter applies those already.
    """

    def __init__(self, own: Iterable[SQLTypeAdapter]) -> None:
        self._own = {id(adapter) for adapter in own}
        self._targets: dict[tuple[SQLTypeAdapter, type], Any] = {}

    def for_columns(
        self, column_adapters: dict[str, tuple[SQLTypeAdapter, Any]] | None
    ) -> dict[str, SQLTypeAdapter]:
        """column -> the model's own adapter, for the columns that declare one."""
        if not column_adapters:
            return {}
        own = self._own
        return {col: a for col, (a, _) in column_adapters.items() if id(a) not in own}

    def write(self, adapter: SQLTypeAdapter, value: Any) -> Any:
        if value is None:
            return None
        py_type = type(value)
        try:
            target = self._targets.get((adapter, py_type), _UNRESOLVED)
        except TypeError:  # an unhashable adapter: resolve every time
            target = _declared_db_type(adapter, py_type)
        else:
            if target is _UNRESOLVED:
                target = self._targets[adapter, py_type] = _declared_db_type(adapter, py_type)
        # No unambiguous target (an SQL expression, an unregistered type): bound as it is.
        return value if target is None else adapter.to_database(value, target)


def default_suggestions(
    adapters: dict[str, SQLTypeAdapter],
) -> dict[type, tuple[SQLTypeAdapter, Any]]:
    """The suggestion map the ORM reads (exact Python type -> (adapter, driver type))."""
    jsonb = adapters["jsonb"]
    return {dict: (jsonb, Jsonb)}


def install_adapters(registry: TypeRegistry) -> dict[str, SQLTypeAdapter]:
    """The backend's own adapters, registered in the core's registry (ours win over its)."""
    adapters: dict[str, SQLTypeAdapter] = {
        "jsonb": PostgresJSONBAdapter(),
        "json": PostgresJSONAdapter(),
        "enum": PostgresEnumAdapter(),
    }
    for adapter in adapters.values():
        for py_type, db_types in adapter.supported_types.items():
            for db_type in db_types:
                registry.register(adapter, py_type, db_type, allow_override=True)
    return adapters
