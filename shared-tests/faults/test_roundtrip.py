"""Property-based round trips of every type each backend supports, through ActiveRecord
models, sync and async: what is saved is what ``find_one`` gives back.

Derandomized (the same examples on every run, so CI is stable), 200 examples per type (bool
has two values and stops when they are exhausted). The values stay inside what the column type
can hold (the family's DATETIME/DATE years 1000-9999, DECIMAL(30, 10)); values outside it are
the bad-value tests' business."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import math
import uuid
from decimal import Decimal
from typing import Optional

import pytest
from faultlib.targets import new_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord

EXAMPLES = 200
SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_offsets = st.integers(-14 * 60 + 1, 14 * 60 - 1).map(
    lambda m: dt.timezone(dt.timedelta(minutes=m))
)


def _text(pkg) -> st.SearchStrategy[str]:
    # PostgreSQL text cannot hold NUL (a bad value, tested there); surrogates are not text.
    if pkg.family == "postgres":
        return st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)))
    return st.text(st.characters(blacklist_categories=("Cs",)))


def _json(pkg) -> st.SearchStrategy[dict]:
    # jsonb refuses \u0000 too. No floats: jsonb keeps numbers as numeric and prints 1e300
    # as a 301-digit integer, so a float comes back as an int of another value (a PostgreSQL
    # property, not a backend's; the float column type covers floats).
    chars = st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",))
    scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(chars, max_size=12)
    keys = st.text(chars, max_size=8)
    # Small documents: generating deep recursive values was the suite's slowest step (about
    # 12 s per cell at max_leaves=12 on a loaded machine), and nesting depth is not what
    # breaks a round trip; keys, scalars and their escapes are.
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
        max_leaves=5,
    )
    return st.dictionaries(keys, values, max_size=4)


def _years(pkg) -> tuple[int, int]:
    return (1, 9999) if pkg.family == "postgres" else (1001, 9998)


# name -> (SQL type key, Python type, strategy factory)
TYPES = {
    "int": ("int", int, lambda pkg: st.integers(-(2**63), 2**63 - 1)),
    "float": (
        "float",
        float,
        lambda pkg: st.floats(
            allow_nan=pkg.family == "postgres", allow_infinity=pkg.family == "postgres"
        ),
    ),
    "str": ("text", str, _text),
    "bytes": ("blob", bytes, lambda pkg: st.binary(max_size=2000)),
    "bool": ("bool", bool, lambda pkg: st.booleans()),
    "decimal": (
        "decimal",
        Decimal,
        lambda pkg: st.decimals(
            min_value=Decimal(-(10**20) + 1),
            max_value=Decimal(10**20 - 1),
            places=10,
            allow_nan=False,
            allow_infinity=False,
        ),
    ),
    "datetime": (
        "datetime",
        dt.datetime,
        lambda pkg: st.datetimes(
            min_value=dt.datetime(_years(pkg)[0], 1, 2),
            max_value=dt.datetime(_years(pkg)[1], 12, 30),
            timezones=_offsets,
        ),
    ),
    "date": (
        "date",
        dt.date,
        lambda pkg: st.dates(dt.date(_years(pkg)[0], 1, 1), dt.date(_years(pkg)[1], 12, 31)),
    ),
    "time": ("time", dt.time, lambda pkg: st.times()),
    "uuid": ("uuid", uuid.UUID, lambda pkg: st.uuids()),
    "json": ("json", dict, _json),
}


def _same(value, got) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return isinstance(got, float) and math.isnan(got)
    return type(got) is type(value) and got == value


def _model(base: type, table: str, field_type: object) -> type:
    namespace = {
        "__annotations__": {"id": Optional[int], "v": field_type},  # noqa: UP045 (pydantic)
        "__table_name__": table,
        "id": None,
    }
    return type(f"M{table}", (base,), namespace)


@pytest.mark.parametrize("kind", list(TYPES))
def test_round_trip_through_a_model(pkg, mode, kind, server, admin):
    sql_type, py_type, strategy = TYPES[kind]
    table = new_table()
    admin.run(f"CREATE TABLE {pkg.q(table)} (id {pkg.types['pk']}, v {pkg.types[sql_type]})")
    config = pkg.config(server)
    seen: list[object] = []
    if mode == "sync":
        Model = _model(ActiveRecord, table, py_type)
        Model.configure(config, pkg.backend_class("sync"))

        def check(value):
            row = Model(v=value)
            row.save()
            return Model.find_one(row.id).v

        close = Model.backend().disconnect
    else:
        loop = asyncio.new_event_loop()
        Model = _model(AsyncActiveRecord, table, py_type)
        loop.run_until_complete(Model.configure(config, pkg.backend_class("async")))

        async def acheck(value):
            row = Model(v=value)
            await row.save()
            return (await Model.find_one(row.id)).v

        def check(value):
            return loop.run_until_complete(acheck(value))

        def close():
            loop.run_until_complete(Model.backend().disconnect())
            loop.close()

    @SETTINGS
    @given(strategy(pkg))
    def round_trip(value):
        seen.append(value)
        got = check(value)
        assert _same(value, got), f"saved {value!r}, read back {got!r}"

    try:
        round_trip()
    finally:
        close()
        admin.run(f"DROP TABLE {pkg.q(table)}")
    wanted = 2 if kind == "bool" else EXAMPLES
    assert len(seen) >= wanted, f"only {len(seen)} examples ran"


class Plain(enum.Enum):
    A = "a"
    B = "b"


def test_plain_enum_field_is_stored_by_value(request, pkg, mode, server, admin):
    table = new_table()
    admin.run(f"CREATE TABLE {pkg.q(table)} (id {pkg.types['pk']}, v VARCHAR(20))")
    config = pkg.config(server)

    async def run(Model, call):
        await call(Model.configure(config, pkg.backend_class(mode)))
        row = Model(v=Plain.B)
        await call(row.save())
        got = (await call(Model.find_one(row.id))).v
        await call(Model.backend().disconnect())
        return got

    async def call_sync(x):
        return x

    async def call_async(x):
        return await x

    base = ActiveRecord if mode == "sync" else AsyncActiveRecord
    try:
        got = asyncio.run(
            run(_model(base, table, Plain), call_sync if mode == "sync" else call_async)
        )
        stored = admin.rows(f"SELECT v FROM {pkg.q(table)}")
    finally:
        admin.run(f"DROP TABLE {pkg.q(table)}")
    assert stored == [("b",)]
    assert got is Plain.B
