"""Bad values against a real server: each is stored and read back faithfully, or refused with a
clear core error, nothing stored and the connection still usable (issue 7).

A package test module does::

    class TestValues(SyncValuesContract): ...
    class TestAsyncValues(AsyncValuesContract): ...

with a ``driver_module`` fixture: the package's driver glue module (``connect_kwargs``).

Only core error classes and messages are asserted, so the same tests run against an older
checkout of the family code and fail there with the defect's own symptom.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from datetime import time as dtime
from decimal import Decimal
from typing import Any, ClassVar

import pytest

from rhosocial.activerecord.backend import errors as core_errors
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord


class Plain(enum.Enum):
    A = "a"
    B = "b"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class _Str(str):
    pass


class _Int(int):
    pass


class _Float(float):
    pass


def table_name(tag: str) -> str:
    return f"vt_{tag}_{os.getpid()}"


#: What the server says about a refused value, checked by class: the family's DataError is a
#: core DatabaseError carrying SQLSTATE class 22.
SERVER_REFUSED = "server"
#: Refused by the backend before sending: the core's TypeConversionError naming the position.
NOT_SENT = "not sent"

_PLUS5 = timezone(timedelta(hours=5))
_CIRCULAR: list[Any] = []
_CIRCULAR.append(_CIRCULAR)

#: (id, column type, value, expected): expected is NOT_SENT, SERVER_REFUSED, or the value the
#: column holds afterwards (read back without adapters).
CASES: list[tuple[str, str, Any, Any]] = [
    ("nan", "DOUBLE", float("nan"), NOT_SENT),
    ("inf", "DOUBLE", float("inf"), NOT_SENT),
    ("minus_inf", "DOUBLE", float("-inf"), NOT_SENT),
    ("object", "TEXT", object(), NOT_SENT),
    ("complex", "TEXT", complex(1, 2), NOT_SENT),
    ("set", "TEXT", {1, 2}, NOT_SENT),
    ("decimal_nan", "DECIMAL(10,2)", Decimal("NaN"), NOT_SENT),
    ("decimal_infinity", "DECIMAL(10,2)", Decimal("-Infinity"), NOT_SENT),
    ("lone_high_surrogate", "TEXT", "\ud800", NOT_SENT),
    ("lone_low_surrogate", "TEXT", "a\udcffb", NOT_SENT),
    ("tuple", "TEXT", (1, 2), NOT_SENT),
    ("plain_enum_by_value", "TEXT", Plain.B, "b"),
    ("str_subclass", "TEXT", _Str("abc"), "abc"),
    ("int_subclass", "BIGINT", _Int(-5), -5),
    ("float_subclass_nan", "DOUBLE", _Float("nan"), NOT_SENT),
    ("memoryview", "BLOB", memoryview(b"\x00\x01"), b"\x00\x01"),
    ("int_enum_by_value", "INT", Level.HIGH, 2),
    ("nul_in_text", "TEXT", "a\x00b\x00", "a\x00b\x00"),
    ("nul_in_bytes", "BLOB", b"\x00\xff\x00", b"\x00\xff\x00"),
    ("text_too_long", "VARCHAR(5)", "abcdefg", SERVER_REFUSED),
    ("bytes_too_long", "VARBINARY(4)", b"\x00" * 5, SERVER_REFUSED),
    ("text_for_integer", "BIGINT", "abc", SERVER_REFUSED),
    ("bigint_max", "BIGINT", 2**63 - 1, 2**63 - 1),
    ("bigint_min", "BIGINT", -(2**63), -(2**63)),
    ("bigint_over", "BIGINT", 2**63, SERVER_REFUSED),
    ("bigint_under", "BIGINT", -(2**63) - 1, SERVER_REFUSED),
    ("unsigned_max", "BIGINT UNSIGNED", 2**64 - 1, 2**64 - 1),
    ("unsigned_negative", "BIGINT UNSIGNED", -1, SERVER_REFUSED),
    ("unsigned_over", "BIGINT UNSIGNED", 2**64, SERVER_REFUSED),
    ("far_beyond_64_bits", "DECIMAL(30,0)", 2**80, 2**80),
    ("emoji_in_utf8mb3", "VARCHAR(10) CHARACTER SET utf8mb3", "x\U0001f600y", SERVER_REFUSED),
    ("emoji_in_utf8mb4", "VARCHAR(10) CHARACTER SET utf8mb4", "x\U0001f600y", "x\U0001f600y"),
    # DATETIME has no zone: naive values are stored as they are, aware ones as the same
    # instant in UTC (read back raw, i.e. naive UTC)
    (
        "naive_datetime",
        "DATETIME(6)",
        datetime(2020, 1, 2, 3, 4, 5, 6),
        datetime(2020, 1, 2, 3, 4, 5, 6),
    ),
    ("aware_beyond_year_1", "DATETIME(6)", datetime(1, 1, 1, tzinfo=_PLUS5), NOT_SENT),
    ("aware_time_non_utc", "TIME(6)", dtime(12, 0, tzinfo=_PLUS5), NOT_SENT),
    (
        "aware_time_utc",
        "TIME(6)",
        dtime(12, 0, 1, 5, tzinfo=timezone.utc),
        timedelta(hours=12, seconds=1, microseconds=5),
    ),
    ("json_circular", "TEXT", _CIRCULAR, NOT_SENT),
    (
        "aware_non_utc",
        "DATETIME(6)",
        datetime(2020, 1, 2, 12, 0, 0, 7, tzinfo=_PLUS5),
        datetime(2020, 1, 2, 7, 0, 0, 7),
    ),
]


def _normalize(value: Any) -> Any:
    if isinstance(value, bytearray):
        return bytes(value)
    return value


def _check_outcome(
    case_id: str, expected: Any, error: BaseException | None, rows: list[dict[str, Any]]
) -> None:
    """``rows``: what the table holds afterwards."""
    if expected == NOT_SENT:
        assert isinstance(error, core_errors.TypeConversionError), (case_id, repr(error))
        assert "parameter 2" in str(error), str(error)  # the value was the second parameter
        assert rows == [], rows
    elif expected == SERVER_REFUSED:
        assert isinstance(error, core_errors.DatabaseError), (case_id, repr(error))
        sqlstate = getattr(error, "sqlstate", None) or ""  # the family's errors carry it
        assert sqlstate.startswith("22"), repr(error)
        assert rows == [], rows
    else:
        assert error is None, (case_id, repr(error))
        assert [_normalize(r["v"]) for r in rows] == [expected], rows


def _ddl(table: str, column_type: str, auto: bool = False) -> list[str]:
    key = "id INT AUTO_INCREMENT PRIMARY KEY" if auto else "id INT PRIMARY KEY"
    return [
        f"DROP TABLE IF EXISTS {table}",
        f"CREATE TABLE {table} ({key}, v {column_type}) CHARACTER SET utf8mb4",
    ]


_INSERT = "INSERT INTO {} (id, v) VALUES (%s, %s)"
BIG = 40 * 1024 * 1024  # well over the server's default max_allowed_packet (16 MiB)


def _enum_model(base: Any, table: str) -> Any:
    class Choice(base):  # type: ignore[misc]  # a model class made per test
        __table_name__: ClassVar[str] = table
        id: int | None = None
        v: Plain

    return Choice


def _pct_model(base: Any) -> Any:
    class Pct(base):  # type: ignore[misc]  # a model class made per test
        __table_name__: ClassVar[str] = "pct %s %%"
        id: int | None = None
        name: str

    return Pct


#: What a server whose default sql_mode is not strict starts every session with; the driver's
#: own ``init_command`` runs it before the backend's session set-up, as such a server would.
NON_STRICT = "SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'"


def start_sessions_non_strict(monkeypatch: Any, driver_module: Any) -> None:
    """Make every connection the backend opens start non-strict (``driver_module``: the
    package's driver glue, whose ``connect_kwargs`` the backends call)."""
    original = driver_module.connect_kwargs

    def connect_kwargs(config: Any, **kwargs: Any) -> dict[str, Any]:
        return {**original(config, **kwargs), "init_command": NON_STRICT}

    monkeypatch.setattr(driver_module, "connect_kwargs", connect_kwargs)


#: Values a non-strict session would silently change: (column type, value).
SILENTLY_CHANGED = [
    ("VARCHAR(10) CHARACTER SET utf8mb3", "x\U0001f600y"),  # stored as 'x?y'
    ("VARCHAR(5)", "abcdefg"),  # cut to 'abcde'
    ("BIGINT", 2**64),  # clamped to 2**63 - 1
]


class SyncValuesContract:
    @pytest.fixture
    def backend(self, backend_factory: Any) -> Any:
        return backend_factory()

    @pytest.mark.parametrize(
        ("case_id", "column_type", "value", "expected"), CASES, ids=[c[0] for c in CASES]
    )
    def test_bad_value(
        self, backend: Any, case_id: Any, column_type: Any, value: Any, expected: Any
    ) -> None:
        table = table_name(case_id)
        for sql in _ddl(table, column_type):
            backend.execute(sql)
        connection_id = backend.server_info.connection_id
        error = None
        try:
            backend.execute(_INSERT.format(table), (1, value))
        except Exception as exc:  # noqa: BLE001 - the outcome is checked below
            error = exc
        rows = backend.fetch_all(f"SELECT v FROM {table}")
        _check_outcome(case_id, expected, error, rows)
        assert backend.server_info.connection_id == connection_id  # the same connection
        backend.execute(f"DROP TABLE {table}")

    def test_session_is_strict_where_the_server_default_is_not(
        self, backend_classes: Any, server_kwargs: Any, driver_module: Any, monkeypatch: Any
    ) -> None:
        start_sessions_non_strict(monkeypatch, driver_module)
        backend = backend_classes[0](**server_kwargs())
        backend.connect()
        try:
            for number, (column_type, value) in enumerate(SILENTLY_CHANGED):
                table = table_name(f"strict{number}")
                for sql in _ddl(table, column_type):
                    backend.execute(sql)
                with pytest.raises(core_errors.DatabaseError) as caught:
                    backend.execute(_INSERT.format(table), (1, value))
                assert getattr(caught.value, "sqlstate", "").startswith("22"), repr(caught.value)
                assert backend.fetch_all(f"SELECT v FROM {table}") == []
                backend.execute(f"DROP TABLE {table}")
        finally:
            backend.disconnect()

    def test_nan_and_infinity_in_execute_many_are_refused_with_the_row(self, backend: Any) -> None:
        table = table_name("many")
        for sql in _ddl(table, "DOUBLE"):
            backend.execute(sql)
        rows = [(1, 1.5), (2, float("inf")), (3, 2.5)]
        with pytest.raises(core_errors.TypeConversionError, match="row 2, parameter 2"):
            backend.execute_many(_INSERT.format(table), rows)
        assert backend.fetch_all(f"SELECT v FROM {table}") == []

    def test_plain_enum_field_is_stored_by_value(
        self, backend_classes: Any, server_kwargs: Any, backend: Any
    ) -> None:
        table = table_name("enum")
        for sql in _ddl(table, "VARCHAR(10)", auto=True):
            backend.execute(sql)
        model = _enum_model(ActiveRecord, table)
        model.configure(backend_classes[0].config_class(**server_kwargs()), backend_classes[0])
        try:
            row = model(v=Plain.B)
            row.save()
            assert backend.fetch_all(f"SELECT v FROM {table}") == [{"v": "b"}]
            assert model.find_one(row.id).v is Plain.B
        finally:
            model.backend().disconnect()

    def test_model_with_nan_is_refused(
        self, backend_classes: Any, server_kwargs: Any, backend: Any
    ) -> None:
        table = table_name("ormnan")
        for sql in _ddl(table, "DOUBLE", auto=True):
            backend.execute(sql)

        class Measure(ActiveRecord):
            __table_name__: ClassVar[str] = table
            id: int | None = None
            v: float

        Measure.configure(backend_classes[0].config_class(**server_kwargs()), backend_classes[0])
        try:
            with pytest.raises(core_errors.TypeConversionError, match="parameter"):
                Measure(v=float("nan")).save()  # type: ignore[call-arg]  # pydantic fields
            assert backend.fetch_all(f"SELECT v FROM {table}") == []
        finally:
            Measure.backend().disconnect()

    def test_model_on_a_table_name_with_percent(
        self, backend_classes: Any, server_kwargs: Any, backend: Any
    ) -> None:
        backend.execute("DROP TABLE IF EXISTS `pct %s %%`")
        backend.execute("CREATE TABLE `pct %s %%` (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT)")
        model = _pct_model(ActiveRecord)
        model.configure(backend_classes[0].config_class(**server_kwargs()), backend_classes[0])
        try:
            row = model(name="50%s off")
            row.save()
            assert model.find_one(row.id).name == "50%s off"
            model.backend().execute_many(
                "INSERT INTO `pct %s %%` (name) VALUES (%s)", [("x",), ("y",)]
            )
            names = backend.fetch_all("SELECT name FROM `pct %s %%` ORDER BY id")
            assert [r["name"] for r in names] == ["50%s off", "x", "y"]
        finally:
            model.backend().disconnect()
            backend.execute("DROP TABLE `pct %s %%`")

    def test_value_over_max_allowed_packet_is_refused_naming_the_limit(self, backend: Any) -> None:
        table = table_name("big")
        for sql in _ddl(table, "LONGTEXT"):
            backend.execute(sql)
        limit = backend.fetch_one("SELECT @@max_allowed_packet AS p")["p"]
        assert limit < BIG
        connection_id = backend.server_info.connection_id
        attempts: list[Callable[[], Any]] = [
            lambda: backend.execute(_INSERT.format(table), (1, "x" * BIG)),
            lambda: backend.execute_many(_INSERT.format(table), [(1, "x"), (2, "x" * BIG)]),
        ]
        # under the limit in characters, over it in UTF-8 bytes: refused all the same
        attempts.append(
            lambda: backend.execute(_INSERT.format(table), (1, "\xe9" * (limit * 3 // 4)))
        )
        for attempt in attempts:
            with pytest.raises(core_errors.DatabaseError) as caught:
                attempt()
            assert f"max_allowed_packet={limit}" in str(caught.value), str(caught.value)
        assert backend.fetch_all(f"SELECT id FROM {table}") == []
        assert backend.server_info.connection_id == connection_id

    def test_failed_reconnect_during_an_outage_is_retry_safe(
        self, backend_classes: Any, server_kwargs: Any
    ) -> None:
        closed = backend_classes[0](**server_kwargs(port=1, connect_timeout=3))
        with pytest.raises(core_errors.ConnectionError) as caught:
            closed.connect()
        assert getattr(caught.value, "retry_safe", None) is True, repr(caught.value)
        denied = backend_classes[0](**server_kwargs(user="no_such_user_f2", password="x"))
        with pytest.raises(core_errors.ConnectionError) as caught:
            denied.connect()
        assert getattr(caught.value, "retry_safe", None) is False, repr(caught.value)


class AsyncValuesContract:
    @pytest.mark.parametrize(
        ("case_id", "column_type", "value", "expected"), CASES, ids=[c[0] for c in CASES]
    )
    async def test_bad_value(
        self, async_backend_factory: Any, case_id: Any, column_type: Any, value: Any, expected: Any
    ) -> None:
        backend = await async_backend_factory()
        table = table_name("a" + case_id)
        try:
            for sql in _ddl(table, column_type):
                await backend.execute(sql)
            connection_id = backend.server_info.connection_id
            error = None
            try:
                await backend.execute(_INSERT.format(table), (1, value))
            except Exception as exc:  # noqa: BLE001 - the outcome is checked below
                error = exc
            rows = await backend.fetch_all(f"SELECT v FROM {table}")
            _check_outcome(case_id, expected, error, rows)
            assert backend.server_info.connection_id == connection_id
            await backend.execute(f"DROP TABLE {table}")
        finally:
            await backend.disconnect()

    async def test_session_is_strict_where_the_server_default_is_not(
        self, backend_classes: Any, server_kwargs: Any, driver_module: Any, monkeypatch: Any
    ) -> None:
        start_sessions_non_strict(monkeypatch, driver_module)
        backend = backend_classes[1](**server_kwargs())
        await backend.connect()
        try:
            column_type, value = SILENTLY_CHANGED[0]
            table = table_name("astrict")
            for sql in _ddl(table, column_type):
                await backend.execute(sql)
            with pytest.raises(core_errors.DatabaseError) as caught:
                await backend.execute(_INSERT.format(table), (1, value))
            assert getattr(caught.value, "sqlstate", "").startswith("22"), repr(caught.value)
            assert await backend.fetch_all(f"SELECT v FROM {table}") == []
            await backend.execute(f"DROP TABLE {table}")
        finally:
            await backend.disconnect()

    async def test_nan_and_infinity_in_execute_many_are_refused_with_the_row(
        self, async_backend_factory: Any
    ) -> None:
        backend = await async_backend_factory()
        table = table_name("amany")
        try:
            for sql in _ddl(table, "DOUBLE"):
                await backend.execute(sql)
            rows = [(1, 1.5), (2, float("nan")), (3, 2.5)]
            with pytest.raises(core_errors.TypeConversionError, match="row 2, parameter 2"):
                await backend.execute_many(_INSERT.format(table), rows)
            assert await backend.fetch_all(f"SELECT v FROM {table}") == []
        finally:
            await backend.disconnect()

    async def test_model_with_infinity_is_refused(
        self, backend_classes: Any, server_kwargs: Any, async_backend_factory: Any
    ) -> None:
        backend = await async_backend_factory()
        table = table_name("aorminf")

        class Measure(AsyncActiveRecord):
            __table_name__: ClassVar[str] = table
            id: int | None = None
            v: float

        try:
            for sql in _ddl(table, "DOUBLE", auto=True):
                await backend.execute(sql)
            await Measure.configure(
                backend_classes[1].config_class(**server_kwargs()), backend_classes[1]
            )
            with pytest.raises(core_errors.TypeConversionError, match="parameter"):
                await Measure(v=float("inf")).save()  # type: ignore[call-arg]  # pydantic fields
            assert await backend.fetch_all(f"SELECT v FROM {table}") == []
            await Measure.backend().disconnect()
        finally:
            await backend.disconnect()

    async def test_plain_enum_field_is_stored_by_value(
        self, backend_classes: Any, server_kwargs: Any, async_backend_factory: Any
    ) -> None:
        backend = await async_backend_factory()
        table = table_name("aenum")
        model = _enum_model(AsyncActiveRecord, table)
        try:
            for sql in _ddl(table, "VARCHAR(10)", auto=True):
                await backend.execute(sql)
            config = backend_classes[1].config_class(**server_kwargs())
            await model.configure(config, backend_classes[1])
            row = model(v=Plain.B)
            await row.save()
            assert await backend.fetch_all(f"SELECT v FROM {table}") == [{"v": "b"}]
            assert (await model.find_one(row.id)).v is Plain.B
            await model.backend().disconnect()
        finally:
            await backend.disconnect()

    async def test_model_on_a_table_name_with_percent(
        self, backend_classes: Any, server_kwargs: Any, async_backend_factory: Any
    ) -> None:
        backend = await async_backend_factory()
        model = _pct_model(AsyncActiveRecord)
        try:
            await backend.execute("DROP TABLE IF EXISTS `pct %s %%`")
            await backend.execute(
                "CREATE TABLE `pct %s %%` (id INT AUTO_INCREMENT PRIMARY KEY, name TEXT)"
            )
            config = backend_classes[1].config_class(**server_kwargs())
            await model.configure(config, backend_classes[1])
            row = model(name="50%s off")
            await row.save()
            assert (await model.find_one(row.id)).name == "50%s off"
            await model.backend().disconnect()
        finally:
            await backend.execute("DROP TABLE IF EXISTS `pct %s %%`")
            await backend.disconnect()

    async def test_value_over_max_allowed_packet_is_refused_naming_the_limit(
        self, async_backend_factory: Any
    ) -> None:
        backend = await async_backend_factory()
        table = table_name("abig")
        try:
            for sql in _ddl(table, "LONGTEXT"):
                await backend.execute(sql)
            limit = (await backend.fetch_one("SELECT @@max_allowed_packet AS p"))["p"]
            assert limit < BIG
            connection_id = backend.server_info.connection_id
            with pytest.raises(core_errors.DatabaseError) as caught:
                await backend.execute(_INSERT.format(table), (1, "x" * BIG))
            assert f"max_allowed_packet={limit}" in str(caught.value), str(caught.value)
            assert await backend.fetch_all(f"SELECT id FROM {table}") == []
            assert backend.server_info.connection_id == connection_id
        finally:
            await backend.disconnect()

    async def test_failed_reconnect_during_an_outage_is_retry_safe(
        self, backend_classes: Any, server_kwargs: Any
    ) -> None:
        closed = backend_classes[1](**server_kwargs(port=1, connect_timeout=3))
        with pytest.raises(core_errors.ConnectionError) as caught:
            await closed.connect()
        assert getattr(caught.value, "retry_safe", None) is True, repr(caught.value)
