"""What the MariaDB package adds, on the real server: MariaDB-only features (RETURNING,
sequences, INTERSECT/EXCEPT, native UUID/INET6) and its async driver's bytes handling. Public
names and dialect defaults are unit tests (test_unit_versions.py)."""

import uuid

import pytest

from rhosocial.activerecord.backend.options import ExecutionOptions
from rhosocial.activerecord.backend.schema import StatementType


def test_returning_sequences_and_set_operations_on_the_server(backend_factory):
    backend = backend_factory()
    if not backend.dialect.features.is_mariadb:
        pytest.skip("server is MySQL")
    name = f"ct_mdb_{id(backend)}"
    backend.execute(f"DROP TABLE IF EXISTS {name}")
    backend.execute(f"CREATE TABLE {name} (id INT AUTO_INCREMENT PRIMARY KEY, n INT)")
    try:
        dml = ExecutionOptions(StatementType.DML, process_result_set=True)
        inserted = backend.execute(
            f"INSERT INTO {name} (n) VALUES (%s), (%s) RETURNING id, n", (1, 2), options=dml
        )
        assert [r["n"] for r in inserted.data] == [1, 2]
        deleted = backend.execute(
            f"DELETE FROM {name} WHERE n = %s RETURNING id", (1,), options=dml
        )
        assert deleted.data == [{"id": inserted.data[0]["id"]}]
        rows = backend.execute("SELECT 1 AS x INTERSECT SELECT 1 EXCEPT SELECT 2").data
        assert rows == [{"x": 1}]
        if backend.dialect.features.sequences:
            backend.execute(f"CREATE SEQUENCE {name}_seq")
            try:
                v = backend.execute(f"SELECT NEXTVAL({name}_seq) AS v").data[0]["v"]
                assert v == 1
            finally:
                backend.execute(f"DROP SEQUENCE {name}_seq")
    finally:
        backend.execute(f"DROP TABLE IF EXISTS {name}")


def test_native_uuid_and_inet6_columns(backend_factory):
    backend = backend_factory()
    f = backend.dialect.features
    if not (f.native_uuid and f.inet6):
        pytest.skip("server has no native UUID/INET6 types")
    name = f"ct_mdbt_{id(backend)}"
    backend.execute(f"DROP TABLE IF EXISTS {name}")
    backend.execute(f"CREATE TABLE {name} (u UUID, ip INET6)")
    try:
        u = uuid.uuid4()
        backend.execute(f"INSERT INTO {name} VALUES (%s, %s)", (u, "::ffff:10.0.0.1"))
        s = backend.get_default_adapter_suggestions()
        adapters = {"u": (s[uuid.UUID][0], uuid.UUID)}
        row = backend.execute(
            f"SELECT * FROM {name}",
            options=ExecutionOptions(StatementType.DQL, column_adapters=adapters),
        ).data[0]
        assert row["u"] == u and row["ip"] == "::ffff:10.0.0.1"
    finally:
        backend.execute(f"DROP TABLE IF EXISTS {name}")


async def test_async_driver_binds_bytes(async_backend_factory):
    backend = await async_backend_factory()
    try:
        blob = bytes(range(256))
        row = (await backend.execute("SELECT %s AS b", (blob,))).data[0]
        assert bytes(row["b"]) == blob
    finally:
        await backend.disconnect()
