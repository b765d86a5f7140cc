from __future__ import annotations

import pytest

from rhosocial.activerecord.backend.impl.common.env import (
    libpq_environment,
    mysql_environment,
    postgres_environment,
    read_option_files,
)


def test_libpq_variables():
    env = {
        "PGHOST": "db",
        "PGPORT": "5433",
        "PGDATABASE": "shop",
        "PGUSER": "app",
        "PGPASSWORD": "pw",
        "PGSSLMODE": "verify-full",
        "PGSSLROOTCERT": "/ca.pem",
        "PGCONNECT_TIMEOUT": "3",
        "PGAPPNAME": "cli",
        "PGOPTIONS": "-c jit=off",
        "PGTARGETSESSIONATTRS": "read-write",
        "PGSERVICE": "main",
        "PGPASSFILE": "/pgpass",
        "HOME": "/ignored",
    }
    assert libpq_environment(env) == {
        "host": "db",
        "port": 5433,
        "database": "shop",
        "username": "app",
        "password": "pw",
        "ssl_mode": "verify-full",
        "ssl_ca": "/ca.pem",
        "connect_timeout": 3.0,
        "application_name": "cli",
        "pg_options": "-c jit=off",
        "target_session_attrs": "read-write",
        "service": "main",
        "passfile": "/pgpass",
    }


def test_libpq_host_lists():
    got = libpq_environment({"PGHOST": "a,b", "PGPORT": "5432,5433"})
    assert got == {"host": "a", "port": 5432, "hosts": (("a", 5432), ("b", 5433))}
    got = libpq_environment({"PGHOST": "a,b", "PGPORT": "6000"})
    assert got["hosts"] == (("a", 6000), ("b", 6000))
    with pytest.raises(ValueError, match="PGPORT lists 3 ports for 2 hosts"):
        libpq_environment({"PGHOST": "a,b", "PGPORT": "1,2,3"})


def test_empty_variables_are_unset():
    assert libpq_environment({"PGPORT": "", "PGUSER": ""}) == {}


@pytest.mark.parametrize(
    "env, fragment",
    [
        ({"PGPORT": "fivefour"}, "PGPORT must be a port number (1-65535), got 'fivefour'"),
        ({"PGCONNECT_TIMEOUT": "-3"}, "PGCONNECT_TIMEOUT must be a positive, finite number"),
        ({"POSTGRES_PORT": "x"}, "POSTGRES_PORT must be a port number"),
    ],
)
def test_bad_values_name_the_variable(env, fragment):
    with pytest.raises(ValueError) as info:
        postgres_environment(env)
    assert fragment in str(info.value)


def test_official_variables_win_over_libpq():
    got = postgres_environment({"PGHOST": "a", "POSTGRES_HOST": "b", "POSTGRES_USER": "u"})
    assert got == {"host": "b", "username": "u"}


def test_option_files(tmp_path):
    extra = tmp_path / "conf.d"
    extra.mkdir()
    (extra / "tls.cnf").write_text("[client]\nssl-ca = /ca.pem\nssl-verify-server-cert\n")
    main = tmp_path / "my.cnf"
    main.write_text(
        "# comment\n[mysqld]\nport = 1\n[client]\nhost = db\nport = 3307\nuser = app\n"
        "password = \"p#w 'x'\"\ndefault-character-set = utf8mb4\nno-beep\n"
        f"!includedir {extra}\n[mysql]\nuser = ignored\n"
    )
    assert read_option_files([main, tmp_path / "missing.cnf"]) == {
        "host": "db",
        "port": 3307,
        "username": "app",
        "password": "p#w 'x'",
        "charset": "utf8mb4",
        "ssl_ca": "/ca.pem",
        "ssl_verify_identity": True,
    }
    bad = tmp_path / "bad.cnf"
    bad.write_text("[client]\nport = abc\n")
    with pytest.raises(ValueError, match=r"port in .*bad\.cnf line 2 must be a port number"):
        read_option_files([bad])


def test_mysql_precedence(tmp_path):
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[client]\nhost = from-file\nport = 3310\npassword = file\n")
    env = {"MYSQL_HOST": "from-client-env", "MYSQL_PWD": "pwd", "MYSQL_PASSWORD": "official"}
    got = mysql_environment(env, option_files=[cnf])
    assert got == {"host": "from-client-env", "port": 3310, "password": "official"}
    assert mysql_environment({"MYSQL_TCP_PORT": "3399"}, option_files=())["port"] == 3399


def test_ssl_modes_are_checked_where_they_come_from(tmp_path):
    assert libpq_environment({"PGSSLMODE": "Require"}) == {"ssl_mode": "require"}
    with pytest.raises(ValueError, match="PGSSLMODE must be one of disable, allow"):
        libpq_environment({"PGSSLMODE": "required"})  # the MySQL spelling
    cnf = tmp_path / "my.cnf"
    cnf.write_text("[client]\nssl-mode = VERIFY_IDENTITY\n")
    assert read_option_files([cnf]) == {"ssl_mode": "verify_identity"}
