"""Connection, CRUD, types round trip, bulk paths and streaming against the real server."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

import pytest

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.postgres import PostgresBackend, PostgresConnectionConfig
from rhosocial.activerecord.backend.options import BulkInsertOptions, ExecutionOptions
from rhosocial.activerecord.backend.schema import StatementType
from rhosocial.activerecord.backend.type_adapter import BaseSQLTypeAdapter
from rhosocial.activerecord.base import UseAdapter
from rhosocial.activerecord.model import ActiveRecord

DML_RETURNING = ExecutionOptions(StatementType.DML, process_result_set=True)


def test_connect_version_ping_reconnect(backend, admin):
    assert backend.dialect.version == backend.get_server_version()
    assert backend.dialect.version[0] >= 13
    assert backend.ping() is True
    backend._connection.close()  # simulate a dead handle
    assert backend.ping(reconnect=False) is False
    assert backend.ping() is True
    assert backend.fetch_one("SELECT 1 AS one") == {"one": 1}


def test_session_is_autocommit_with_tuple_rows(backend):
    assert backend._connection.autocommit is True
    assert backend._cursor.row_factory.__name__ == "tuple_row"


def test_bad_config_gives_connection_error_without_password(server):
    cfg = PostgresConnectionConfig(
        host=server["host"],
        port=1,
        username="nobody",
        password="sekrit-pw",
        database="test",
        connect_timeout=2,
    )
    with pytest.raises(core.ConnectionError) as info:
        PostgresBackend(connection_config=cfg).connect()
    assert "sekrit-pw" not in str(info.value)


def test_application_name_and_options_reach_server(server):
    from pg_support import config_for

    b = PostgresBackend(
        connection_config=config_for(
            server, application_name="ar-probe", statement_timeout=1234, search_path="public"
        )
    )
    try:
        row = b.fetch_one(
            "SELECT current_setting('application_name') AS a, "
            "current_setting('statement_timeout') AS s"
        )
        assert row == {"a": "ar-probe", "s": "1234ms"}
    finally:
        b.disconnect()


def test_types_round_trip(backend, table):
    backend.execute(f"""CREATE TABLE "{table}" (id serial PRIMARY KEY, ts timestamptz, d date,
        t time, iv interval, n numeric(30,10), u uuid, b boolean, by bytea, j jsonb, js json,
        a integer[], tx text)""")
    values = (
        dt.datetime(2024, 1, 1, 12, 30, 45, 123456, tzinfo=dt.timezone.utc),
        dt.date(2024, 2, 29),
        dt.time(23, 59, 59, 999999),
        dt.timedelta(days=3, microseconds=7),
        Decimal("12345678901234567890.0123456789"),
        uuid.uuid4(),
        True,
        b"\x00\xff",
        {"k": [1, "two", None]},
        {"z": 1},
        [1, 2, 3],
        "50% off 'quoted' %s",
    )
    row = backend.execute(
        f'INSERT INTO "{table}" (ts, d, t, iv, n, u, b, by, j, js, a, tx) '
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING *",
        values,
        options=DML_RETURNING,
    ).data[0]
    assert row["ts"] == values[0] and row["ts"].microsecond == 123456 and row["ts"].tzinfo
    assert (row["d"], row["t"], row["iv"], row["n"], row["u"], row["b"]) == values[1:7]
    assert bytes(row["by"]) == b"\x00\xff"
    assert row["j"] == {"k": [1, "two", None]} and row["js"] == {"z": 1}
    assert row["a"] == [1, 2, 3] and row["tx"] == "50% off 'quoted' %s"


def test_literal_percent_with_and_without_parameters(backend):
    assert backend.fetch_one("SELECT '100%' AS p")["p"] == "100%"
    assert backend.fetch_one("SELECT '100%' AS p, %s AS v", (1,)) == {"p": "100%", "v": 1}
    assert backend.fetch_one("SELECT 7 % %s AS m", (4,))["m"] == 3


def test_execute_without_options_returns_rows_of_selects(backend):
    assert backend.execute("SELECT 1 AS x").data == [{"x": 1}]
    assert backend.execute("SET LOCAL work_mem = '8MB'").data is None


def test_execute_many_and_bulk_insert_split_under_parameter_limit(backend, table):
    backend.execute(f'CREATE TABLE "{table}" (id serial PRIMARY KEY, a int, b text, c jsonb)')
    res = backend.execute_many(
        f'INSERT INTO "{table}" (a, b, c) VALUES (%s, %s, %s)',
        [(i, f"r{i}", {"i": i}) for i in range(500)],
    )
    assert res.affected_rows == 500
    rows = [(i, "x" * 3, None) for i in range(30000)]  # 90,000 parameters: must be split
    res = backend.bulk_insert(
        BulkInsertOptions(table=table, columns=["a", "b", "c"], rows=rows, returning_columns=["id"])
    )
    assert res.affected_rows == 30000 and len(res.data) == 30000
    assert backend.fetch_one(f'SELECT count(*) AS n FROM "{table}"')["n"] == 30500


def test_stream_and_batch_dql_use_a_server_side_cursor(backend, table, admin):
    backend.execute(f'CREATE TABLE "{table}" AS SELECT g AS id FROM generate_series(1, 2500) g')
    seen = 0
    for _row in backend.stream(f'SELECT id FROM "{table}" ORDER BY id', size=1000):
        seen += 1
        if seen == 1:
            # the rows come from a cursor that lives on the server, not from a client-side list
            assert backend._connection.execute("SELECT count(*) FROM pg_cursors").fetchone()[0] == 1
    assert seen == 2500
    from rhosocial.activerecord.backend.expression import RawSQLExpression

    pages = list(
        backend.execute_batch_dql(
            RawSQLExpression(backend.dialect, f'SELECT id FROM "{table}"'), page_size=1000
        )
    )
    assert [p.page_size for p in pages] == [1000, 1000, 500]
    assert backend.fetch_one("SELECT 1 AS still_usable") == {"still_usable": 1}


class CommaList(BaseSQLTypeAdapter):
    """A user's own adapter: list[str] <-> 'a,b' text."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(list, str)

    def _do_to_database(self, value, target_type, options=None):
        return ",".join(value)

    def _do_from_database(self, value, target_type, options=None):
        return value.split(",") if value else []


def test_model_use_adapter_applies_on_insert_update_and_bulk_create(config, table, admin):
    """The core reads through a field's UseAdapter but writes raw values; the backend applies it."""
    admin.execute(f'CREATE TABLE "{table}" (id serial PRIMARY KEY, tags text)')

    class Item(ActiveRecord):
        __table_name__ = table
        id: int | None = None
        tags: Annotated[list[str], UseAdapter(CommaList(), str)]

    Item.configure(config, PostgresBackend)
    try:
        item = Item(tags=["a", "b"])
        item.save()
        item.tags = ["c", "d", "e"]
        item.save()
        Item.bulk_create([Item(tags=["x"]), Item(tags=["y", "z"])])
        stored = admin.execute(f'SELECT tags FROM "{table}" ORDER BY id').fetchall()
        assert stored == [("c,d,e",), ("x",), ("y,z",)]
        assert Item.find_one(item.id).tags == ["c", "d", "e"]
    finally:
        Item.backend().disconnect()


def test_binary_reads_give_what_text_reads_give_even_after_the_schema_changes(backend, table):
    """Read-only statements whose columns all load the same in binary are read in binary; a
    later result with another column type (here float4, and an enum) is read again in text."""
    backend.execute(
        f'CREATE TABLE "{table}" (id int PRIMARY KEY, price numeric(10,2), at timestamptz, '
        "v float8, tag text)"
    )
    at = dt.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=dt.timezone.utc)
    for pk in (1, 2):
        backend.execute(
            f'INSERT INTO "{table}" VALUES (%s, %s, %s, %s, %s)',
            (pk, Decimal("1.10"), at, 1.1, "x"),
        )
    page = f'SELECT * FROM "{table}" WHERE id >= %s ORDER BY id'
    one = f'SELECT * FROM "{table}" WHERE id = %s'
    expected = [
        {"id": pk, "price": Decimal("1.10"), "at": at, "v": 1.1, "tag": "x"} for pk in (1, 2)
    ]
    assert backend.fetch_all(page, (1,)) == expected
    assert backend.fetch_one(one, (1,)) == expected[0]
    assert backend._statements[page].binary is True
    assert backend._statements[one].binary is False  # a single row: binary would save nothing
    assert backend.fetch_all(page, (1,)) == expected
    backend.execute(f'ALTER TABLE "{table}" ALTER COLUMN v TYPE real')
    backend.execute(f"CREATE TYPE {table}_mood AS ENUM ('calm', 'x')")
    backend.execute(
        f'ALTER TABLE "{table}" ALTER COLUMN tag TYPE {table}_mood USING tag::{table}_mood'
    )
    for _ in range(3):
        rows = backend.fetch_all(page, (1,))
        assert [r["v"] for r in rows] == [1.1, 1.1]  # binary float4 gives 1.100000023841858
        assert [r["tag"] for r in rows] == ["x", "x"]  # an unregistered enum in binary: b"x"
    assert backend._statements[page].binary is False
    backend.execute(f'DROP TABLE "{table}"; DROP TYPE {table}_mood')


def test_the_same_statement_text_follows_renamed_and_added_columns(backend, table):
    """A statement's last column list is a shortcut, not a promise: names come from each result."""
    backend.execute(f'CREATE TABLE "{table}" (id int PRIMARY KEY, a text)')
    backend.execute(f'INSERT INTO "{table}" VALUES (%s, %s)', (1, "x"))
    query = f'SELECT * FROM "{table}" WHERE id = %s'
    for _ in range(7):  # past psycopg's prepare threshold: the server holds a prepared plan
        assert backend.fetch_one(query, (1,)) == {"id": 1, "a": "x"}
    backend.execute(f'ALTER TABLE "{table}" RENAME COLUMN a TO b')
    assert backend.fetch_one(query, (1,)) == {"id": 1, "b": "x"}
    backend.execute(f'ALTER TABLE "{table}" ADD COLUMN c int DEFAULT 7')
    assert backend.fetch_all(query, (1,)) == [{"id": 1, "b": "x", "c": 7}]
    named = f'SELECT * FROM "{table}" WHERE id = %(id)s'
    assert backend.fetch_one(named, {"id": 1}) == {"id": 1, "b": "x", "c": 7}


def test_writes_and_statements_without_parameters_are_never_read_in_binary(backend, table):
    backend.execute(f'CREATE TABLE "{table}" (id serial PRIMARY KEY, v real)')
    ins = f'INSERT INTO "{table}" (v) VALUES (%s) RETURNING id, v'
    for _ in range(2):
        assert backend.execute(ins, (1.1,), options=DML_RETURNING).data[0]["v"] == 1.1
    assert backend._statements[ins].binary is not True
    assert backend.fetch_all(f'SELECT v FROM "{table}"') == [{"v": 1.1}, {"v": 1.1}]
