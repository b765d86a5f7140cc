"""Real-server contract of a family backend (sync and async).

A package test module does::

    class TestContract(SyncBackendContract): ...
    class TestAsyncContract(AsyncBackendContract): ...

with fixtures ``backend_factory(**config_overrides)`` and ``async_backend_factory`` in its
conftest. Tables are named per process, so parallel runs never collide.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
import threading
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from datetime import time as dtime
from decimal import Decimal
from typing import Annotated

import pytest

from rhosocial.activerecord.backend import errors as core_errors
from rhosocial.activerecord.backend.impl.mysql import errors as fe
from rhosocial.activerecord.backend.options import BulkInsertOptions, ExecutionOptions
from rhosocial.activerecord.backend.schema import StatementType
from rhosocial.activerecord.backend.transaction import IsolationLevel, TransactionMode
from rhosocial.activerecord.backend.type_adapter import BaseSQLTypeAdapter
from rhosocial.activerecord.base import UseAdapter
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord

from .silent import SilentServer, connect_outcome

DML = ExecutionOptions(StatementType.DML)
DQL = ExecutionOptions(StatementType.DQL)


def table_name(tag: str) -> str:
    return f"ct_{tag}_{os.getpid()}"


COLLATION_SQL = "SELECT @@collation_connection AS c"


def collations_to_try(features) -> list[str]:
    """Non-default utf8mb4 collations the server has: one every flavour knows, and on MariaDB
    10.10+ a UCA 14 one (absent from mysql-connector's own collation table)."""
    names = ["utf8mb4_bin"]
    if features.is_mariadb and features.version >= (10, 10, 0):
        names.append("utf8mb4_uca1400_as_cs")
    return names


#: Ways a connect fails after the socket is open and the server has a session for it.
GIVE_UP_AT_CONNECT = {
    "tls_required_but_not_established": dict(ssl_mode="required"),
    "init_command_fails": dict(init_command="SELECT * FROM ct_no_such_table_at_all"),
}


def failing_connect_settings(admin, case: str) -> dict:
    if case == "tls_required_but_not_established":
        have_ssl = admin.execute("SHOW VARIABLES LIKE 'have_ssl'").data
        if have_ssl and list(have_ssl[0].values())[1] == "YES":
            pytest.skip("the matrix server offers TLS: ssl_mode='required' would succeed")
    return GIVE_UP_AT_CONNECT[case]


def recording_abandoned_sessions(backend_class, **kwargs):
    """A backend of a subclass of ``backend_class`` whose ``_close_dead`` (the driver-glue hook
    every connection the backend gives up on goes through) first records the server session id
    of that connection, read from the driver's handshake data, in ``backend.abandoned``."""

    class Recording(backend_class):
        def _close_dead(self, conn):
            thread_id = getattr(conn, "server_thread_id", None)  # PyMySQL, aiomysql
            self.abandoned.append(thread_id[0] if thread_id else conn.connection_id)
            super()._close_dead(conn)  # mysql-connector: connection_id

    backend = Recording(**kwargs)
    backend.abandoned = []
    return backend


async def closed_on_server(admin, connection_id: int, timeout: float = 3.0) -> bool:
    """True once the server has ended session ``connection_id`` (``admin``: a sync backend).
    Polls with ``asyncio.sleep`` so that an async backend's transport gets to close."""
    deadline = time.monotonic() + timeout
    sql = "SELECT COUNT(*) AS c FROM information_schema.PROCESSLIST WHERE ID = %s"
    while admin.execute(sql, (connection_id,)).data != [{"c": 0}]:
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def check_given_up_connection_is_closed(
    backend_class, admin, server_kwargs, case: str
) -> None:
    """A connect that fails after the server opened a session must close that session's
    socket itself, sync or async backend alike (awaited when needed)."""
    failing = recording_abandoned_sessions(
        backend_class, **server_kwargs(**failing_connect_settings(admin, case))
    )
    opened = failing.abandoned
    with pytest.raises(core_errors.ConnectionError) as info:  # holds the frames: no GC help
        result = failing.connect()
        if inspect.isawaitable(result):
            await result
    if not opened and getattr(info.value, "errno", None) == 2026:
        return  # PyMySQL refused TLS in the handshake and closed its socket itself
    assert len(opened) == 1 and failing._connection is None, info.value
    assert await closed_on_server(admin, opened[0]), f"session {opened[0]} left open"


#: How much later than ``connect_timeout`` a timed-out connect may end (a busy 2-core machine).
CONNECT_TIMEOUT_SLACK = 1.5


def check_timed_out(backend, outcome, timeout: float) -> None:
    """``outcome`` (of ``connect_outcome``) is a ``ConnectTimeout`` raised on time, naming the
    server and the timeout, and the backend kept nothing of the connect."""
    assert outcome is not None, f"connect_timeout={timeout} did not stop the connect"
    error, took = outcome
    assert isinstance(error, fe.ConnectTimeout), repr(error)
    assert isinstance(error, core_errors.ConnectionError)
    where = f"{backend.config.host}:{backend.config.port}"
    assert str(error).startswith(
        f"could not connect to {where} within connect_timeout={timeout:g}s"
    ), error
    assert timeout <= took < timeout + CONNECT_TIMEOUT_SLACK, took
    assert backend._connection is None and backend.server_info is None


async def check_connect_timeout_on_a_silent_server(backend_class) -> None:
    """A server that accepts and never greets: the connect ends at ``connect_timeout`` with
    ``ConnectTimeout``, its socket closed and (async) no task of it left running."""
    with SilentServer() as silent:
        backend = backend_class(host="127.0.0.1", port=silent.port, connect_timeout=0.5)
        tasks = asyncio.all_tasks()
        outcome = await connect_outcome(backend, 10)  # held: no GC help closing the socket
        check_timed_out(backend, outcome, 0.5)
        assert asyncio.all_tasks() <= tasks, "the timed-out connect left a task running"
        assert await asyncio.to_thread(silent.clients_closed), (
            "the timed-out connect left its socket open"
        )


async def check_connect_timeout_covers_the_session_set_up(
    backend_class, admin, server_kwargs
) -> None:
    """``connect_timeout`` also bounds the statements run right after connecting: a slow
    ``init_command`` is cut short with ``ConnectTimeout`` and its connection closed (the server
    ends the session once the statement is over, instead of keeping it open)."""
    backend = recording_abandoned_sessions(
        backend_class, **server_kwargs(connect_timeout=1, init_command="SELECT SLEEP(2.5)")
    )
    opened = backend.abandoned
    tasks = asyncio.all_tasks()
    outcome = await connect_outcome(backend, 10)
    check_timed_out(backend, outcome, 1)
    assert asyncio.all_tasks() <= tasks, "the timed-out connect left a task running"
    assert len(opened) == 1, opened
    assert await closed_on_server(admin, opened[0], timeout=6), f"session {opened[0]} left open"


def _adapters(backend, **columns):
    s = backend.get_default_adapter_suggestions()
    return {col: (s[py][0], py) for col, py in columns.items()}


TYPES_DDL = (
    "CREATE TABLE {t} (id INT AUTO_INCREMENT PRIMARY KEY, ts DATETIME(6), tm TIME(6), "
    "amount DECIMAL(30, 10), flag TINYINT(1), data LONGBLOB, doc JSON, uid CHAR(36), d DATE)"
)


class CommaList(BaseSQLTypeAdapter):
    """A model's own adapter: list[str] <-> 'a,b' (the family's default for a list is JSON)."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(list[str], str)  # a generic key: matched through its origin

    def _do_to_database(self, value, target_type, options=None):
        return ",".join(value)

    def _do_from_database(self, value, target_type, options=None):
        return value.split(",") if value else []


async def check_use_adapter_writes(model_base, backend_class, backend_factory, server_kwargs, tag):
    """Insert, update and bulk-create through a model whose field declares its own adapter: the
    column must hold what that adapter writes. Sync or async model alike (awaited when needed)."""

    async def done(result):
        return await result if inspect.isawaitable(result) else result

    admin = backend_factory()
    table = table_name(tag)
    admin.execute(f"DROP TABLE IF EXISTS {table}")
    admin.execute(f"CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, tags VARCHAR(100))")

    class Item(model_base):
        __table_name__ = table
        id: int | None = None
        tags: Annotated[list[str], UseAdapter(CommaList(), str)]

    def stored():
        return [r["tags"] for r in admin.execute(f"SELECT tags FROM {table} ORDER BY id").data]

    await done(Item.configure(backend_class.config_class(**server_kwargs()), backend_class))
    try:
        item = Item(tags=["a", "b"])
        await done(item.save())
        assert (got := stored()) == ["a,b"], got
        item.tags = ["c", "d", "e"]
        await done(item.save())
        await done(Item.bulk_create([Item(tags=["x"]), Item(tags=["y", "z"])]))
        assert (got := stored()) == ["c,d,e", "x", "y,z"], got
        assert (await done(Item.find_one(item.id))).tags == ["c", "d", "e"]
    finally:
        await done(Item.backend().disconnect())
        admin.execute(f"DROP TABLE IF EXISTS {table}")


class SyncBackendContract:
    """Checks every sync family backend must pass against a real server."""

    @pytest.fixture
    def backend(self, backend_factory):
        b = backend_factory()
        yield b
        b.disconnect()

    @pytest.fixture
    def table(self, backend):
        name = table_name("s")
        backend.execute(f"DROP TABLE IF EXISTS {name}")
        yield name
        backend.execute(f"DROP TABLE IF EXISTS {name}")

    def test_connects_without_tls_by_default_and_detects_the_server(self, backend):
        info = backend.server_info
        assert info.tls_cipher is None
        version = backend.execute("SELECT VERSION() AS v").data[0]["v"]
        assert info.version_string == version
        assert backend.dialect.flavour == ("mariadb" if "MariaDB" in version else "mysql")
        assert backend.get_server_version() == info.features.version
        assert backend.ping()

    def test_type_round_trip_without_loss(self, backend, table):
        backend.execute(TYPES_DDL.format(t=table))
        aware = datetime(2024, 1, 1, 12, 30, 45, 123456, tzinfo=timezone(timedelta(hours=2)))
        uid = uuid.uuid4()
        amount = Decimal("12345678901234567890.0123456789")
        doc = {"a": [1, 2, {"b": "ü"}], "n": None}
        blob = bytes(range(256))
        backend.execute(
            f"INSERT INTO {table} (ts, tm, amount, flag, data, doc, uid, d) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (aware, dtime(23, 59, 58, 999999), amount, True, blob, doc, uid, date(2024, 2, 29)),
            options=DML,
        )
        adapters = _adapters(
            backend, ts=datetime, tm=dtime, amount=Decimal, flag=bool, doc=dict, uid=uuid.UUID
        )
        row = backend.execute(
            f"SELECT * FROM {table}",
            options=ExecutionOptions(StatementType.DQL, column_adapters=adapters),
        ).data[0]
        assert row["ts"] == aware and row["ts"].tzinfo is not None
        assert row["ts"].microsecond == 123456
        assert row["tm"] == dtime(23, 59, 58, 999999)
        assert row["amount"] == amount and isinstance(row["amount"], Decimal)
        assert row["flag"] is True
        assert bytes(row["data"]) == blob
        assert row["doc"] == doc
        assert row["uid"] == uid
        assert row["d"] == date(2024, 2, 29)

    def test_update_reports_matched_rows_even_when_nothing_changes(self, backend, table):
        backend.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, n INT)")
        backend.execute(f"INSERT INTO {table} VALUES (1, 5), (2, 5)")
        result = backend.execute(f"UPDATE {table} SET n = %s WHERE n = %s", (5, 5), options=DML)
        assert result.affected_rows == 2

    def test_literal_percent_with_bound_parameters(self, backend):
        row = backend.execute(
            "SELECT 'a%b' AS lit, %s AS p, 'abc' LIKE 'a%' AS m, 7 % 4 AS modulo", ("x",)
        ).data[0]
        assert row == {"lit": "a%b", "p": "x", "m": 1, "modulo": 3}

    def test_errors_are_typed_by_errno_and_keep_the_server_message(self, backend, table):
        parent = table + "_p"
        backend.execute(f"DROP TABLE IF EXISTS {table}")
        backend.execute(f"DROP TABLE IF EXISTS {parent}")
        backend.execute(f"CREATE TABLE {parent} (id INT PRIMARY KEY)")
        backend.execute(
            f"CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR(10) NOT NULL, "
            f"pid INT, n INT CHECK (n > 0), FOREIGN KEY (pid) REFERENCES {parent}(id))"
        )
        try:
            backend.execute(f"INSERT INTO {table} (id, name) VALUES (1, 'a')")
            cases = [
                (f"INSERT INTO {table} (id, name) VALUES (1, 'b')", fe.UniqueViolation, 1062),
                (f"INSERT INTO {table} (id, name) VALUES (2, NULL)", fe.NotNullViolation, 1048),
                (
                    f"INSERT INTO {table} (id, name, pid) VALUES (3, 'c', 99)",
                    fe.ForeignKeyViolation,
                    1452,
                ),
                (f"INSERT INTO {table} (id, name, n) VALUES (4, 'd', -1)", fe.CheckViolation, None),
                (
                    f"INSERT INTO {table} (id, name) VALUES (6, 'longer than ten')",
                    fe.DataError,
                    1406,
                ),
                (f"SELEC * FROM {table}", fe.QuerySyntaxError, 1064),
                ("SELECT * FROM ct_no_such_table_xyz", fe.QuerySyntaxError, 1146),
            ]
            for sql, cls, errno in cases:
                with pytest.raises(cls) as info:
                    backend.execute(sql)
                if errno is not None:
                    assert info.value.errno == errno
                assert info.value.__cause__ is not None
                assert (
                    str(info.value).startswith(
                        str(info.value.__cause__.args[-1]).split(" (")[0][:20]
                    )
                    or info.value.errno
                )
            with pytest.raises(core_errors.IntegrityError, match="cannot be null"):
                backend.execute(f"INSERT INTO {table} (id, name) VALUES (5, NULL)")
            assert backend.execute("SELECT 1 AS one").data == [{"one": 1}]
        finally:
            backend.execute(f"DROP TABLE IF EXISTS {table}")
            backend.execute(f"DROP TABLE IF EXISTS {parent}")

    def test_transactions_isolation_read_only_and_savepoints(self, backend, backend_factory, table):
        backend.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, n INT) ENGINE=InnoDB")
        backend.execute(f"INSERT INTO {table} VALUES (1, 0)")
        other = backend_factory()
        other.execute("SET SESSION innodb_lock_wait_timeout = 1")
        tm = backend.transaction_manager
        with tm.transaction(isolation_level=IsolationLevel.SERIALIZABLE):
            # SERIALIZABLE really applies: a plain read takes a shared lock the writer waits on
            backend.execute(f"SELECT n FROM {table} WHERE id = 1")
            with pytest.raises(fe.LockWaitTimeout) as info:
                other.execute(f"UPDATE {table} SET n = 1 WHERE id = 1")
            assert info.value.errno == 1205 and isinstance(info.value, core_errors.OperationalError)
            backend.execute(f"INSERT INTO {table} VALUES (2, 0)")
            with backend.transaction():
                backend.execute(f"INSERT INTO {table} VALUES (3, 0)")
            try:
                with backend.transaction():
                    backend.execute(f"INSERT INTO {table} VALUES (4, 0)")
                    raise RuntimeError("inner rollback")
            except RuntimeError:
                pass
        assert tm.transaction_level == 0
        ids = [r["id"] for r in backend.execute(f"SELECT id FROM {table} ORDER BY id").data]
        assert ids == [1, 2, 3]
        # the next transaction is back at the server's default level: no lock on a plain read
        with tm.transaction():
            backend.execute(f"SELECT n FROM {table} WHERE id = 1")
            other.execute(f"UPDATE {table} SET n = 2 WHERE id = 1")
        with pytest.raises(core_errors.DatabaseError) as info:
            with tm.transaction(mode=TransactionMode.READ_ONLY):
                backend.execute(f"INSERT INTO {table} VALUES (9, 0)")
        assert getattr(info.value, "errno", None) == 1792
        assert not backend.in_transaction

    def test_row_lock_options_do_what_they_say_where_the_server_has_them(
        self, backend, backend_factory, table
    ):
        from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
        from rhosocial.activerecord.backend.expression.query_parts import ForUpdateClause

        backend.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY) ENGINE=InnoDB")
        backend.execute(f"INSERT INTO {table} VALUES (1), (2)")
        other = backend_factory()
        d = other.dialect  # what the connected server said it can do
        with backend.transaction():
            backend.execute(f"SELECT id FROM {table} WHERE id = 1 FOR UPDATE")
            for option, supported in (
                ("NOWAIT", d.supports_for_update_nowait()),
                ("SKIP LOCKED", d.supports_for_update_skip_locked()),
            ):
                clause = ForUpdateClause(
                    d, nowait=option == "NOWAIT", skip_locked=option == "SKIP LOCKED"
                )
                if not supported:
                    with pytest.raises(UnsupportedFeatureError, match=option):
                        clause.to_sql()
                    continue
                sql = f"SELECT id FROM {table} ORDER BY id {clause.to_sql()[0]}"
                started = time.monotonic()
                with other.transaction():
                    if option == "SKIP LOCKED":
                        assert other.execute(sql).data == [{"id": 2}]  # row 1 is left out
                    else:
                        with pytest.raises(fe.LockWaitTimeout):
                            other.execute(sql)
                assert time.monotonic() - started < 5  # neither waited for the lock
        of_sql = f"SELECT id FROM {table} WHERE id = 2 FOR UPDATE OF {table}"
        if d.features.for_update_of:
            assert ForUpdateClause(d, of_columns=[table]).to_sql()[0] == f"FOR UPDATE OF `{table}`"
            assert other.execute(of_sql).data == [{"id": 2}]
        else:  # refused by the dialect, and rightly: the server rejects it
            with pytest.raises(UnsupportedFeatureError, match="FOR UPDATE OF"):
                ForUpdateClause(d, of_columns=[table]).to_sql()
            with pytest.raises(fe.QuerySyntaxError):
                other.execute(of_sql)

    def test_deadlock_ends_the_transaction_and_the_backend_follows(
        self, backend, backend_factory, table
    ):
        backend.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY, n INT) ENGINE=InnoDB")
        backend.execute(f"INSERT INTO {table} VALUES (1, 0), (2, 0)")
        other = backend_factory()
        barrier = threading.Barrier(2, timeout=10)
        outcome = {}

        def second():
            try:
                other.begin_transaction()
                other.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 2")
                barrier.wait()
                time.sleep(0.3)
                other.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 1")
                other.commit_transaction()
                outcome["other"] = "committed"
            except Exception as exc:  # noqa: BLE001
                outcome["other"] = exc
                if other.in_transaction:
                    other.rollback_transaction()

        thread = threading.Thread(target=second)
        thread.start()
        backend.begin_transaction()
        backend.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 1")
        barrier.wait()
        mine = None
        try:
            time.sleep(0.1)
            backend.execute(f"UPDATE {table} SET n = n + 1 WHERE id = 2")
        except Exception as exc:  # noqa: BLE001
            mine = exc
        if mine is None:
            backend.commit_transaction()
        thread.join(15)
        other.disconnect()
        victims = [e for e in (mine, outcome.get("other")) if isinstance(e, Exception)]
        assert len(victims) == 1 and isinstance(victims[0], core_errors.DeadlockError)
        if mine is not None:
            assert backend.in_transaction  # the application still has to end it ...
            with pytest.raises(core_errors.TransactionError):
                backend.execute(f"SELECT * FROM {table}")  # ... nothing runs inside it meanwhile
            with pytest.raises(core_errors.TransactionError):
                backend.commit_transaction()
            backend.rollback_transaction()
        assert not backend.in_transaction
        rows = backend.execute(f"SELECT n FROM {table} ORDER BY id").data
        assert rows == [{"n": 1}, {"n": 1}]  # exactly one transaction's updates

    def _kill(self, backend_factory, connection_id):
        killer = backend_factory()
        try:
            killer.execute("KILL %s", (connection_id,))
        finally:
            killer.disconnect()
        time.sleep(0.2)

    def test_lost_connection_outside_a_transaction(self, backend, backend_factory, table):
        backend.execute(f"CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, n INT)")
        first_id = backend.server_info.connection_id
        self._kill(backend_factory, first_id)
        # a read is re-run on a new connection: nothing can be doubled
        assert backend.execute("SELECT 41 + 1 AS v").data == [{"v": 42}]
        assert backend.server_info.connection_id != first_id
        self._kill(backend_factory, backend.server_info.connection_id)
        # a write is not re-run: it fails, and the next call reconnects
        with pytest.raises(fe.ConnectionLost):
            backend.execute(f"INSERT INTO {table} (n) VALUES (1)")
        backend.execute(f"INSERT INTO {table} (n) VALUES (2)")
        assert backend.execute(f"SELECT n FROM {table}").data == [{"n": 2}]

    def test_lost_connection_inside_a_transaction_fails_it_loudly(
        self, backend, backend_factory, table
    ):
        backend.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY) ENGINE=InnoDB")
        backend.begin_transaction()
        backend.execute(f"INSERT INTO {table} VALUES (1)")
        self._kill(backend_factory, backend.server_info.connection_id)
        with pytest.raises(fe.ConnectionLost):
            backend.execute(f"INSERT INTO {table} VALUES (2)")
        with pytest.raises(core_errors.TransactionError):
            backend.execute(f"INSERT INTO {table} VALUES (3)")
        with pytest.raises(core_errors.TransactionError):
            backend.commit_transaction()
        backend.rollback_transaction()
        assert backend.execute(f"SELECT COUNT(*) AS c FROM {table}").data == [{"c": 0}]

    def test_bulk_insert_reports_every_id(self, backend_factory, table):
        backend = backend_factory(bulk_max_rows=400)
        try:
            backend.execute(f"DROP TABLE IF EXISTS {table}")
            backend.execute(
                f"CREATE TABLE {table} (id INT AUTO_INCREMENT PRIMARY KEY, n INT, s VARCHAR(20))"
            )
            rows = [[i, f"r{i}%"] for i in range(1000)]
            returning = ["id"] if backend.dialect.supports_returning_insert() else None
            result = backend.bulk_insert(
                BulkInsertOptions(
                    table=table, columns=["n", "s"], rows=rows, returning_columns=returning
                )
            )
            stored = backend.execute(f"SELECT id, n FROM {table} ORDER BY n").data
            assert result.affected_rows == 1000 and len(stored) == 1000
            if returning:
                assert [r["id"] for r in result.data] == [r["id"] for r in stored]
            else:
                assert [result.last_insert_id + i for i in range(1000)] == [r["id"] for r in stored]
            many = backend.execute_many(
                f"INSERT INTO {table} (n, s) VALUES (%s, %s)", [(i, "m%") for i in range(900)]
            )
            assert many.affected_rows == 900
            assert backend.execute(f"SELECT COUNT(*) AS c FROM {table} WHERE s = 'm%'").data == [
                {"c": 900}
            ]
        finally:
            backend.execute(f"DROP TABLE IF EXISTS {table}")
            backend.disconnect()

    def test_statement_timeout_stops_the_statement(self, backend_factory):
        backend = backend_factory(statement_timeout=0.3)
        try:
            started = time.monotonic()
            with pytest.raises(fe.StatementTimeout):
                backend.execute("SELECT SLEEP(3) AS s")
            assert time.monotonic() - started < 2
            assert backend.execute("SELECT 1 AS one").data == [{"one": 1}]
        finally:
            backend.disconnect()

    def test_a_client_timeout_closes_the_connection_and_no_stale_reply_is_read(
        self, backend_factory, table
    ):
        """Past read_timeout the reply may still arrive on the socket: a kept connection would
        hand SLEEP's row to the next statement (mysql-connector did). It is closed instead."""
        backend = backend_factory(read_timeout=1)
        watcher = backend_factory()
        try:
            first_id = backend.server_info.connection_id
            with pytest.raises(fe.StatementTimeout, match="read_timeout=1s"):
                backend.execute("SELECT SLEEP(30) AS s")
            # KILL QUERY is asynchronous on the server: the killed thread acts on its flag at
            # its next check, so PROCESSLIST may show the statement for a moment after the KILL
            # was sent (seen once in CI). Stopped means gone within 5 s, long before SLEEP(30)
            # would end by itself (25 s of margin either way).
            deadline = time.monotonic() + 5
            while True:
                running = watcher.execute(
                    "SELECT COUNT(*) AS c FROM information_schema.PROCESSLIST WHERE ID = %s AND INFO LIKE 'SELECT SLEEP%'",
                    (first_id,),
                )
                if running.data == [{"c": 0}] or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            assert running.data == [{"c": 0}]  # stopped on the server, not left running
            time.sleep(1.5)  # a late reply would have arrived by now, on the old socket
            assert backend.execute("SELECT 42 AS x").data == [{"x": 42}]
            assert backend.server_info.connection_id != first_id
            backend.execute(f"CREATE TABLE {table} (id INT PRIMARY KEY) ENGINE=InnoDB")
            backend.begin_transaction()
            backend.execute(f"INSERT INTO {table} VALUES (1)")
            with pytest.raises(fe.StatementTimeout):
                backend.execute("SELECT SLEEP(3) AS s")
            with pytest.raises(core_errors.TransactionError):  # the transaction went with it
                backend.execute(f"INSERT INTO {table} VALUES (2)")
            backend.rollback_transaction()
            assert backend.execute(f"SELECT COUNT(*) AS c FROM {table}").data == [{"c": 0}]
            backend.execute(f"DROP TABLE {table}")  # no lock left behind by the old session
        finally:
            watcher.execute(f"DROP TABLE IF EXISTS {table}")

    @pytest.mark.parametrize("setting", ["read_timeout", "write_timeout", "connect_timeout"])
    @pytest.mark.parametrize("value", [0, -1, True, "5", float("inf")])
    def test_timeouts_must_be_positive_numbers(self, backend_classes, setting, value):
        config_class = backend_classes[0].config_class
        with pytest.raises(ValueError, match=f"{setting} must be a positive number of seconds"):
            config_class(**{setting: value})

    def test_collation_setting_is_the_session_collation(self, backend, backend_factory):
        for collation in collations_to_try(backend.server_info.features):
            collated = backend_factory(collation=collation)
            assert collated.execute(COLLATION_SQL).data == [{"c": collation}]
            collated.connect()  # again on a new connection
            assert collated.execute(COLLATION_SQL).data == [{"c": collation}]

    def test_collation_of_another_charset_is_refused_by_name(self, backend_classes, server_kwargs):
        backend = backend_classes[0](**server_kwargs(collation="latin1_bin"))
        with pytest.raises(
            fe.ConnectFailed, match="'latin1_bin' is not valid for CHARACTER SET 'utf8mb4'"
        ):
            backend.connect()

    @pytest.mark.parametrize("case", GIVE_UP_AT_CONNECT)
    def test_a_connection_given_up_while_connecting_is_closed(
        self, backend, backend_classes, server_kwargs, case
    ):
        asyncio.run(
            check_given_up_connection_is_closed(backend_classes[0], backend, server_kwargs, case)
        )

    def test_connect_timeout_bounds_a_server_that_never_answers(self, backend_classes):
        asyncio.run(check_connect_timeout_on_a_silent_server(backend_classes[0]))

    def test_connect_timeout_covers_the_session_set_up(
        self, backend, backend_classes, server_kwargs
    ):
        asyncio.run(
            check_connect_timeout_covers_the_session_set_up(
                backend_classes[0], backend, server_kwargs
            )
        )

    def test_password_never_appears_in_errors_or_repr(self, backend_classes, server_kwargs):
        secret = "s3cr3t-Pa55"
        backend = backend_classes[0](**server_kwargs(username="ct_nobody", password=secret))
        with pytest.raises(core_errors.ConnectionError) as info:
            backend.connect()
        assert isinstance(info.value, fe.ConnectFailed) and info.value.errno == 1045
        assert secret not in str(info.value) and secret not in repr(backend.config)

    def test_model_use_adapter_applies_on_insert_update_and_bulk_create(
        self, backend_classes, backend_factory, server_kwargs
    ):
        model, backend_class = ActiveRecord, backend_classes[0]
        asyncio.run(
            check_use_adapter_writes(model, backend_class, backend_factory, server_kwargs, "ua")
        )


class AsyncBackendContract:
    """Checks every async family backend must pass against a real server."""

    async def test_model_use_adapter_applies_on_insert_update_and_bulk_create(
        self, backend_classes, backend_factory, server_kwargs
    ):
        model, backend_class = AsyncActiveRecord, backend_classes[1]
        await check_use_adapter_writes(model, backend_class, backend_factory, server_kwargs, "aua")

    async def test_collation_setting_is_the_session_collation(self, async_backend_factory):
        probe = await async_backend_factory()
        await probe.disconnect()
        for collation in collations_to_try(probe.server_info.features):
            backend = await async_backend_factory(collation=collation)
            try:
                assert (await backend.execute(COLLATION_SQL)).data == [{"c": collation}]
            finally:
                await backend.disconnect()

    @pytest.mark.parametrize("case", GIVE_UP_AT_CONNECT)
    async def test_a_connection_given_up_while_connecting_is_closed(
        self, backend_classes, backend_factory, server_kwargs, case
    ):
        await check_given_up_connection_is_closed(
            backend_classes[1], backend_factory(), server_kwargs, case
        )

    async def test_a_cancelled_connect_closes_its_socket(self, backend_classes):
        """A server that accepts but never greets: cancelling the connect must close the
        socket (the listener then reads EOF), not leave it to the garbage collector."""
        accepted: asyncio.Queue = asyncio.Queue()

        async def stall(reader, writer):
            await accepted.put((reader, writer))  # never says a word

        listener = await asyncio.start_server(stall, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        try:
            backend = backend_classes[1](host="127.0.0.1", port=port, connect_timeout=30)
            task = asyncio.ensure_future(backend.connect())
            reader, writer = await asyncio.wait_for(accepted.get(), 5)
            await asyncio.sleep(0.1)  # the driver is now waiting for the server's greeting
            task.cancel()
            with pytest.raises(asyncio.CancelledError) as cancelled:  # held: no GC help
                await task
            try:
                eof = await asyncio.wait_for(reader.read(), 3) == b""  # the client closed
            except asyncio.TimeoutError:
                eof = False
            assert eof, f"the cancelled connect left its socket open ({cancelled.value!r})"
            writer.close()
        finally:
            listener.close()

    async def test_connect_timeout_bounds_a_server_that_never_answers(self, backend_classes):
        await check_connect_timeout_on_a_silent_server(backend_classes[1])

    async def test_connect_timeout_covers_the_session_set_up(
        self, backend_classes, backend_factory, server_kwargs
    ):
        await check_connect_timeout_covers_the_session_set_up(
            backend_classes[1], backend_factory(), server_kwargs
        )

    async def test_a_cancelled_statement_is_not_held_up_by_a_server_that_stopped_answering(
        self, async_backend_factory
    ):
        """Cancelling a statement KILLs it from a side connection; when the server stops
        answering new connections, that side connect is given up after ``connect_timeout``
        (and its socket closed) instead of keeping the cancelled task waiting forever."""
        backend = await async_backend_factory(connect_timeout=1)
        task = asyncio.ensure_future(backend.execute("SELECT SLEEP(2)"))
        await asyncio.sleep(0.3)  # the statement is running on the server
        with SilentServer() as silent:
            backend.config.port = silent.port  # new connections now reach a silent server
            task.cancel()
            done, _ = await asyncio.wait({task}, timeout=1 + CONNECT_TIMEOUT_SLACK)
            assert done, "the cancelled statement waited on its KILL QUERY connection"
            assert task.cancelled() and backend._connection is None
            assert await asyncio.to_thread(silent.clients_closed), (
                "the side connection was left open"
            )

    async def test_round_trip_and_transactions(self, async_backend_factory):
        backend = await async_backend_factory()
        name = table_name("a")
        try:
            await backend.execute(f"DROP TABLE IF EXISTS {name}")
            await backend.execute(
                f"CREATE TABLE {name} (id INT PRIMARY KEY, ts DATETIME(6), doc JSON)"
            )
            aware = datetime(2024, 5, 1, 1, 2, 3, 456789, tzinfo=timezone.utc)
            async with backend.transaction():
                await backend.execute(
                    f"INSERT INTO {name} VALUES (%s, %s, %s)", (1, aware, {"k": "v%"})
                )
                async with backend.transaction():
                    await backend.execute(
                        f"INSERT INTO {name} VALUES (%s, %s, %s)", (2, aware, [1])
                    )
            adapters = _adapters(backend, ts=datetime, doc=dict)
            rows = (
                await backend.execute(
                    f"SELECT * FROM {name} ORDER BY id",
                    options=ExecutionOptions(StatementType.DQL, column_adapters=adapters),
                )
            ).data
            assert rows[0]["ts"] == aware and rows[0]["doc"] == {"k": "v%"}
            result = await backend.execute(
                f"UPDATE {name} SET id = id WHERE id > %s", (0,), options=DML
            )
            assert result.affected_rows == 2
            with pytest.raises(fe.UniqueViolation):
                await backend.execute(f"INSERT INTO {name} (id) VALUES (1)")
        finally:
            await backend.execute(f"DROP TABLE IF EXISTS {name}")
            await backend.disconnect()

    async def test_cancelled_task_stops_its_query_on_the_server(self, async_backend_factory):
        backend = await async_backend_factory()
        watcher = await async_backend_factory()
        try:
            connection_id = backend.server_info.connection_id
            task = asyncio.ensure_future(backend.execute("SELECT SLEEP(20) AS s"))
            await asyncio.sleep(0.5)
            running = await watcher.execute(
                "SELECT COUNT(*) AS c FROM information_schema.PROCESSLIST WHERE ID = %s AND INFO LIKE 'SELECT SLEEP%'",
                (connection_id,),
            )
            assert running.data == [{"c": 1}]
            started = time.monotonic()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(0.3)
            still = await watcher.execute(
                "SELECT COUNT(*) AS c FROM information_schema.PROCESSLIST WHERE ID = %s AND INFO LIKE 'SELECT SLEEP%'",
                (connection_id,),
            )
            assert still.data == [{"c": 0}]
            assert time.monotonic() - started < 5
            # the half-read connection was discarded: the next statement runs on a fresh one
            assert (await backend.execute("SELECT 7 AS v")).data == [{"v": 7}]
            assert backend.server_info.connection_id != connection_id
        finally:
            await backend.disconnect()
            await watcher.disconnect()

    async def test_a_client_timeout_stops_the_statement_and_closes_the_connection(
        self, async_backend_factory
    ):
        backend = await async_backend_factory(read_timeout=0.5)
        watcher = await async_backend_factory()
        try:
            connection_id = backend.server_info.connection_id
            started = time.monotonic()
            with pytest.raises(fe.StatementTimeout, match="read_timeout=0.5s"):
                await backend.execute("SELECT SLEEP(20) AS s")
            assert time.monotonic() - started < 5
            await asyncio.sleep(0.3)
            still = await watcher.execute(
                "SELECT COUNT(*) AS c FROM information_schema.PROCESSLIST WHERE ID = %s AND INFO LIKE 'SELECT SLEEP%'",
                (connection_id,),
            )
            assert still.data == [{"c": 0}]  # stopped on the server, not left running
            assert (await backend.execute("SELECT 42 AS x")).data == [{"x": 42}]
            assert backend.server_info.connection_id != connection_id
        finally:
            await backend.disconnect()
            await watcher.disconnect()

    async def test_cancel_inside_a_transaction_fails_the_transaction(self, async_backend_factory):
        backend = await async_backend_factory()
        name = table_name("ac")
        try:
            await backend.execute(f"DROP TABLE IF EXISTS {name}")
            await backend.execute(f"CREATE TABLE {name} (id INT PRIMARY KEY) ENGINE=InnoDB")
            await backend.begin_transaction()
            await backend.execute(f"INSERT INTO {name} VALUES (1)")
            task = asyncio.ensure_future(backend.execute("SELECT SLEEP(20)"))
            await asyncio.sleep(0.3)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            with pytest.raises(core_errors.TransactionError):
                await backend.commit_transaction()
            await backend.rollback_transaction()
            assert (await backend.execute(f"SELECT COUNT(*) AS c FROM {name}")).data == [{"c": 0}]
        finally:
            await backend.execute(f"DROP TABLE IF EXISTS {name}")
            await backend.disconnect()

    async def test_lost_connection_read_is_retried_write_is_not(self, async_backend_factory):
        backend = await async_backend_factory()
        killer = await async_backend_factory()
        try:
            await killer.execute("KILL %s", (backend.server_info.connection_id,))
            await asyncio.sleep(0.2)
            assert (await backend.execute("SELECT 1 AS one")).data == [{"one": 1}]
            await killer.execute("KILL %s", (backend.server_info.connection_id,))
            await asyncio.sleep(0.2)
            with pytest.raises(fe.ConnectionLost):
                await backend.execute("DO 1", options=DML)
            assert (await backend.execute("SELECT 2 AS two")).data == [{"two": 2}]
        finally:
            await backend.disconnect()
            await killer.disconnect()


class BatchContract:
    """The core's ``execute_batch_dml`` fast path goes through the backend's adaptation."""

    def test_batch_dml_adapts_values(self, backend_factory):
        from rhosocial.activerecord.backend.expression import Literal, TableExpression
        from rhosocial.activerecord.backend.expression.statements import (
            InsertExpression,
            ValuesSource,
        )

        backend = backend_factory()
        name = table_name("bd")
        backend.execute(f"DROP TABLE IF EXISTS {name}")
        backend.execute(f"CREATE TABLE {name} (id INT PRIMARY KEY, ts DATETIME(6), doc JSON)")
        try:
            d = backend.dialect
            aware = datetime(2024, 3, 1, 10, 0, 0, 1, tzinfo=timezone(timedelta(hours=-5)))
            exprs = [
                InsertExpression(
                    d,
                    into=TableExpression(d, name),
                    columns=["id", "ts", "doc"],
                    source=ValuesSource(
                        d, [[Literal(d, i), Literal(d, aware), Literal(d, {"i": i})]]
                    ),
                )
                for i in range(5)
            ]
            results = list(backend.execute_batch_dml(exprs, batch_size=2))
            assert sum(r.total_affected_rows for r in results) == 5
            row = backend.execute(f"SELECT ts, doc FROM {name} WHERE id = 3").data[0]
            assert row["ts"] == datetime(2024, 3, 1, 15, 0, 0, 1)  # stored as UTC
            assert json.loads(row["doc"]) == {"i": 3}
        finally:
            backend.execute(f"DROP TABLE IF EXISTS {name}")
