"""Adapters, errno mapping, SQL text handling and config validation (no server)."""

import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.mysql import MySQLConnectionConfig
from rhosocial.activerecord.backend.impl.mysql import errors as fe
from rhosocial.activerecord.backend.impl.mysql.adapters import (
    MySQLBooleanAdapter,
    MySQLDateTimeAdapter,
    MySQLDecimalAdapter,
    MySQLJSONAdapter,
    MySQLUUIDAdapter,
    timedelta_to_time,
)
from rhosocial.activerecord.backend.impl.mysql.sqltext import (
    escape_percent,
    is_read_only,
    leading_keyword,
)


def test_aware_datetime_goes_in_as_utc_and_comes_back_aware():
    a = MySQLDateTimeAdapter()
    value = datetime(2024, 1, 1, 14, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    stored = a.to_database(value, datetime)
    assert stored == datetime(2024, 1, 1, 12, 30, 0, 123456) and stored.tzinfo is None
    back = a.from_database(stored, datetime)
    assert back == value and back.tzinfo is timezone.utc


def test_time_from_timedelta():
    a = MySQLDateTimeAdapter()
    assert a.from_database(
        timedelta(hours=23, minutes=59, seconds=58, microseconds=5), time
    ) == time(23, 59, 58, 5)
    with pytest.raises(ValueError):
        timedelta_to_time(timedelta(hours=25))
    assert a.from_database(date(2024, 1, 2), date) == date(2024, 1, 2)


def test_decimal_bool_json_uuid():
    assert MySQLDecimalAdapter().from_database("1.10", Decimal) == Decimal("1.10")
    assert MySQLDecimalAdapter().from_database(0.1, Decimal) == Decimal("0.1")
    b = MySQLBooleanAdapter()
    assert (
        b.to_database(True, int) == 1
        and b.from_database(0, bool) is False
        and b.from_database(b"\x01", bool) is True
    )
    j = MySQLJSONAdapter()
    assert j.from_database(b'{"a": 1}', dict) == {"a": 1}
    assert j.to_database({"ü": 1}, str) == '{"ü": 1}'
    u = uuid.uuid4()
    ua = MySQLUUIDAdapter()
    assert ua.to_database(u, str) == str(u)
    assert ua.from_database(str(u), uuid.UUID) == u and ua.from_database(u.bytes, uuid.UUID) == u


@pytest.mark.parametrize(
    "errno, cls, core_cls",
    [
        (1062, fe.UniqueViolation, core.IntegrityError),
        (1452, fe.ForeignKeyViolation, core.IntegrityError),
        (1451, fe.ForeignKeyViolation, core.IntegrityError),
        (1048, fe.NotNullViolation, core.IntegrityError),
        (1364, fe.NotNullViolation, core.IntegrityError),
        (3819, fe.CheckViolation, core.IntegrityError),
        (4025, fe.CheckViolation, core.IntegrityError),
        (1213, fe.Deadlock, core.DeadlockError),
        (1205, fe.LockWaitTimeout, core.OperationalError),
        (3024, fe.StatementTimeout, core.OperationalError),
        (1969, fe.StatementTimeout, core.OperationalError),
        (2006, fe.ConnectionLost, core.OperationalError),
        (2013, fe.ConnectionLost, core.ConnectionError),
        (4031, fe.ConnectionLost, core.OperationalError),
        (2055, fe.ConnectionLost, core.OperationalError),
        (1045, fe.ConnectFailed, core.ConnectionError),
        (1064, fe.QuerySyntaxError, core.QueryError),
        (1146, fe.QuerySyntaxError, core.QueryError),
        (1317, fe.QueryCancelled, core.OperationalError),
    ],
)
def test_errno_mapping(errno, cls, core_cls):
    err = fe.map_error(fe.ErrorInfo(errno, "HY000", "server says so"))
    assert type(err) is cls and isinstance(err, core_cls)
    assert err.errno == errno and str(err).startswith("server says so")


def test_sqlstate_fallback_and_connecting():
    assert type(fe.map_error(fe.ErrorInfo(9999, "23000", "x"))) is fe.IntegrityViolation
    assert type(fe.map_error(fe.ErrorInfo(9999, "22003", "x"))) is fe.DataError
    assert type(fe.map_error(fe.ErrorInfo(9999, None, "x"))) is fe.ServerError
    assert type(fe.map_error(fe.ErrorInfo(2013, None, "x"), connecting=True)) is fe.ConnectFailed


def test_which_errors_end_the_transaction():
    assert fe.rolls_back_transaction(1213, rollback_on_timeout=False)
    assert not fe.rolls_back_transaction(1205, rollback_on_timeout=False)
    assert fe.rolls_back_transaction(1205, rollback_on_timeout=True)
    assert not fe.rolls_back_transaction(1062, rollback_on_timeout=True)


@pytest.mark.parametrize(
    "sql, expected",
    [
        ("SELECT %s", "SELECT %s"),
        (
            "SELECT * FROM t WHERE a LIKE 'x%' AND b = %s",
            "SELECT * FROM t WHERE a LIKE 'x%%' AND b = %s",
        ),
        ("SELECT a % 2 FROM t WHERE b = %s", "SELECT a %% 2 FROM t WHERE b = %s"),
        ("SELECT '%s' AS lit, %s", "SELECT '%%s' AS lit, %s"),
        (
            "SELECT `we%ird` FROM t WHERE x = %s -- 50% off",
            "SELECT `we%%ird` FROM t WHERE x = %s -- 50%% off",
        ),
        ("SELECT 'it''s 5%', %s", "SELECT 'it''s 5%%', %s"),
    ],
)
def test_escape_percent(sql, expected):
    assert escape_percent(sql) == expected


def test_statement_classification():
    assert leading_keyword("  /* c */ (select 1)") == "SELECT"
    assert (
        is_read_only("SELECT 1")
        and is_read_only("show tables")
        and is_read_only("EXPLAIN SELECT 1")
    )
    assert not is_read_only("INSERT INTO t VALUES (1)")
    assert not is_read_only("SELECT 1 INTO @x")
    assert not is_read_only("WITH x AS (SELECT 1) DELETE FROM t")


def test_tls_modes_are_explicit(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("")  # read when connecting; only its existence is checked here
    assert MySQLConnectionConfig().ssl_mode == "disabled"
    assert MySQLConnectionConfig(ssl_ca=str(ca)).ssl_mode == "verify_identity"
    assert MySQLConnectionConfig(ssl_ca=str(ca), ssl_mode="verify_ca").tls_verify_identity is False
    assert MySQLConnectionConfig(ssl_mode="required").tls_verify_cert is False
    with pytest.raises(ValueError):
        MySQLConnectionConfig(ssl_mode="preferred")
    with pytest.raises(ValueError):
        MySQLConnectionConfig(ssl_mode="disabled", ssl_ca="/ca.pem")
    with pytest.raises(ValueError):
        MySQLConnectionConfig(ssl_cert="/c.pem")


def test_config_hides_password_and_builds_session_statements():
    cfg = MySQLConnectionConfig(password="hunter2", statement_timeout=1.5, sql_mode="TRADITIONAL")
    assert "hunter2" not in repr(cfg)
    assert cfg.session_statements("max_execution_time")[-1] == (
        "SET SESSION max_execution_time = %s",
        (1500,),
    )
    assert cfg.session_statements("max_statement_time")[-1] == (
        "SET SESSION max_statement_time = %s",
        (1.5,),
    )
    assert cfg.session_statements("x")[0] == ("SET time_zone = %s", ("+00:00",))
