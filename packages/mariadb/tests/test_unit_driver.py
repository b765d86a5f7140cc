"""The PyMySQL/aiomysql glue (no server): connect arguments each driver accepts, what the
backends do with a fresh connection (``fake_server`` in conftest stands in for the driver),
aiomysql's bytes escaping, and how PyMySQL's errors are mapped."""

import inspect
import ssl
import struct

import aiomysql
import pymysql
import pytest
from pymysql.constants import CLIENT

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.mariadb import (
    AsyncMariaDBBackend,
    MariaDBBackend,
    MariaDBConnectionConfig,
    driver,
)
from rhosocial.activerecord.backend.impl.mysql import errors as fe
from rhosocial.activerecord.backend.impl.mysql.session import PROBE_SQL

EVERYTHING = dict(
    host="db", port=3307, username="app", password="pw", database="shop", connect_timeout=3.5,
    read_timeout=30, write_timeout=40, ssl_mode="required", init_command="SET @a = 1",
    sql_mode="TRADITIONAL", collation="utf8mb4_unicode_ci",
)  # fmt: skip


def test_sync_arguments_are_pymysql_connect_arguments():
    kwargs = driver.connect_kwargs(MariaDBConnectionConfig(**EVERYTHING))
    inspect.signature(pymysql.connections.Connection).bind(**kwargs)  # TypeError if unknown
    expected = dict(host="db", port=3307, user="app", password="pw", database="shop")
    assert {name: kwargs[name] for name in expected} == expected
    assert kwargs["charset"] == "utf8mb4"
    timeouts = ("connect_timeout", "read_timeout", "write_timeout")
    assert [kwargs[name] for name in timeouts] == [3.5, 30, 40]
    assert kwargs["autocommit"] is True  # transactions are explicit SQL
    assert kwargs["client_flag"] & CLIENT.FOUND_ROWS  # UPDATE reports matched rows
    assert isinstance(kwargs["ssl"], ssl.SSLContext)


def test_async_arguments_are_aiomysql_connect_arguments():
    kwargs = driver.connect_kwargs(MariaDBConnectionConfig(**EVERYTHING), for_async=True)
    inspect.signature(aiomysql.connect).bind(**kwargs)  # no read/write timeouts, db= not database=
    assert kwargs["db"] == "shop" and kwargs["connect_timeout"] == 3.5
    assert kwargs["autocommit"] is True and kwargs["client_flag"] & CLIENT.FOUND_ROWS
    assert isinstance(kwargs["ssl"], ssl.SSLContext)


def test_no_user_or_password_is_sent_as_empty_strings():
    for for_async in (False, True):
        kwargs = driver.connect_kwargs(MariaDBConnectionConfig(), for_async=for_async)
        assert (kwargs["user"], kwargs["password"]) == ("", "")
        assert not {"database", "db"} & kwargs.keys()


def test_connect_probes_the_server_then_sets_up_the_session_once(fake_server):
    fake_server.version = "11.4.3-MariaDB-log"
    backend = MariaDBBackend(**{**EVERYTHING, "ssl_mode": None, "statement_timeout": 1.5})
    backend.connect()
    assert backend.server_info.connection_id == 42 and backend.server_info.tls_cipher is None
    assert backend.get_server_version() == (11, 4, 3) and backend.dialect.flavour == "mariadb"
    assert fake_server.statements == [
        (PROBE_SQL, None),
        (
            "SET NAMES %s COLLATE %s",
            ("utf8mb4", "utf8mb4_unicode_ci"),
        ),  # aiomysql has no collation=
        ("SET time_zone = %s", ("+00:00",)),
        ("SET SESSION sql_mode = %s", ("TRADITIONAL",)),
        ("SET SESSION max_statement_time = %s", (1.5,)),  # MariaDB: seconds, every statement
        ("SET @a = 1", None),
    ]
    # the driver is not asked to run them a second time
    assert not {"init_command", "sql_mode", "ssl", "collation"} & fake_server.connects[0].keys()


def test_tls_the_server_did_not_establish_is_refused(fake_server):
    """PyMySQL carries on in plain text when the server offers no TLS; the backend does not."""
    backend = MariaDBBackend(ssl_mode="required")
    with pytest.raises(fe.ConnectFailed, match="TLS was required"):
        backend.connect()
    assert isinstance(fake_server.connects[0]["ssl"], ssl.SSLContext)
    assert backend.server_info is None
    assert fake_server.connections[0].closed == "force"  # its socket closed, no QUIT sent
    fake_server.cipher = "TLS_AES_256_GCM_SHA384"
    backend.connect()
    assert backend.server_info.tls_cipher == "TLS_AES_256_GCM_SHA384"


async def test_async_connect_uses_aiomysql_and_fixes_its_bytes_escaping(fake_server):
    fake_server.version = "10.6.18-MariaDB-log"
    backend = AsyncMariaDBBackend(database="shop")
    await backend.connect()
    assert fake_server.connects[0]["db"] == "shop"
    assert await backend.get_server_version() == (10, 6, 18)
    escape = fake_server.connections[0].escape
    assert escape(b"\x00'\xff") == "_binary X'0027ff'"
    assert escape(bytearray(b"a")) == escape(memoryview(b"a")) == "_binary X'61'"
    assert escape("it's") == repr("it's")  # anything else: aiomysql's own escaping
    await backend.disconnect()


def test_the_sync_driver_escapes_bytes_itself(fake_server):
    MariaDBBackend().connect()
    assert fake_server.connections[0].escape is repr  # PyMySQL's own escaping, untouched


def server_error(errno: int, sqlstate: str, message: str) -> pymysql.err.Error:
    """The exception PyMySQL (and aiomysql, which reuses its protocol code) raises for an
    error packet from the server."""
    packet = b"\xff" + struct.pack("<h", errno) + b"#" + sqlstate.encode() + message.encode()
    with pytest.raises(pymysql.err.Error) as info:
        pymysql.err.raise_mysql_exception(packet)
    return info.value


@pytest.mark.parametrize(
    "errno, sqlstate, mapped",
    [
        (1062, "23000", fe.UniqueViolation),
        (1452, "23000", fe.ForeignKeyViolation),
        (4025, "23000", fe.CheckViolation),  # MariaDB's CHECK errno
        (1213, "40001", fe.Deadlock),
        (1205, "HY000", fe.LockWaitTimeout),
        (1969, "70100", fe.StatementTimeout),  # MariaDB's max_statement_time
        (1317, "70100", fe.QueryCancelled),
        (4031, "HY000", fe.ConnectionLost),  # MariaDB: disconnected for inactivity
        (1064, "42000", fe.QuerySyntaxError),
    ],
)
def test_server_errors_from_pymysql_map_by_errno(errno, sqlstate, mapped):
    info = driver.error_info(server_error(errno, sqlstate, "what the server said"))
    assert (info.errno, info.sqlstate, info.message) == (errno, sqlstate, "what the server said")
    assert type(fe.map_error(info)) is mapped


@pytest.mark.parametrize("errno, sqlstate", [(1406, "22001"), (1264, "22003"), (1292, "22007")])
def test_errors_outside_the_errno_groups_map_by_the_sqlstate_pymysql_reports(errno, sqlstate):
    """As through mysql-connector: a value too long or out of range is a DataError."""
    info = driver.error_info(server_error(errno, sqlstate, "Data too long for column 's' at row 1"))
    err = fe.map_error(info)
    assert type(err) is fe.DataError and (err.errno, err.sqlstate) == (errno, sqlstate)


@pytest.mark.parametrize(
    "exc, errno, mapped",
    [
        (pymysql.err.OperationalError(2013, "Lost connection to MySQL server during query"), 2013, fe.ConnectionLost),
        (pymysql.err.OperationalError(2006, "MySQL server has gone away"), 2006, fe.ConnectionLost),
        (pymysql.err.OperationalError(2003, "Can't connect to MySQL server on 'db'"), 2003, fe.ConnectFailed),
        (pymysql.err.InterfaceError(0, ""), 2006, fe.ConnectionLost),  # used after close
        (pymysql.err.InterfaceError(), 2006, fe.ConnectionLost),
    ],
)  # fmt: skip
def test_client_errors_from_pymysql_map_by_errno(exc, errno, mapped):
    info = driver.error_info(exc)
    assert info.errno == errno and info.sqlstate is None and info.message
    assert type(fe.map_error(info)) is mapped


def test_anything_but_a_pymysql_error_is_not_the_drivers():
    assert driver.error_info(ValueError("x")) is None
    assert driver.error_info(OSError(104, "reset")) is None


def test_execute_raises_the_mapped_error_chained_to_the_drivers(fake_server):
    backend = MariaDBBackend()
    backend.connect()
    fake_server.error = cause = server_error(1062, "23000", "Duplicate entry 'a' for key 'PRIMARY'")
    with pytest.raises(core.IntegrityError) as info:
        backend.execute("INSERT INTO t (k) VALUES (%s)", ("a",))
    err = info.value
    assert type(err) is fe.UniqueViolation and err.__cause__ is cause
    assert (err.errno, err.sqlstate) == (1062, "23000")
    assert str(err) == "Duplicate entry 'a' for key 'PRIMARY' (errno 1062, SQLSTATE 23000)"
    fake_server.error = ValueError("not the driver's")
    with pytest.raises(ValueError, match="not the driver's"):
        backend.execute("SELECT 1")


class NotTheDrivers(Exception):
    """Raised from outside the driver while connecting (a bug, a failing hook, ...)."""


def test_an_error_from_outside_the_driver_while_connecting_is_raised_as_it_is(
    fake_server, monkeypatch
):
    backend = MariaDBBackend(init_command="SET @a = 1")
    fake_server.error = NotTheDrivers("after the probe")  # the session set-up fails
    with pytest.raises(NotTheDrivers) as info:
        backend.connect()
    assert info.value.__cause__ is None and fake_server.connections[0].closed == "force"

    def refuse(**kwargs):
        raise NotTheDrivers("before any socket")

    monkeypatch.setattr(pymysql, "connect", refuse)
    with pytest.raises(NotTheDrivers) as info:
        backend.connect()
    assert info.value.__cause__ is None and backend._connection is None


async def test_an_error_from_outside_the_driver_while_connecting_is_raised_as_it_is_async(
    fake_server, monkeypatch
):
    backend = AsyncMariaDBBackend(init_command="SET @a = 1")
    fake_server.error = NotTheDrivers("after the probe")
    with pytest.raises(NotTheDrivers) as info:
        await backend.connect()
    assert info.value.__cause__ is None and fake_server.connections[0].closed == "close"

    async def refuse(**kwargs):
        raise NotTheDrivers("before any socket")

    monkeypatch.setattr(aiomysql, "connect", refuse)
    with pytest.raises(NotTheDrivers) as info:
        await backend.connect()
    assert info.value.__cause__ is None and backend._connection is None
