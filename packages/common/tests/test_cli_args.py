"""The shared command line's argument and environment handling, without a server.

The spec's config is a small dataclass of this file (the resolution only builds a config);
the backend classes are never instantiated here."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from rhosocial.activerecord.backend.impl.common.cli import CliSpec, run
from rhosocial.activerecord.backend.impl.common.cli.parser import (
    PROMPT_FLAG,
    build_parser,
    prompt_tokens,
)
from rhosocial.activerecord.backend.impl.common.cli.settings import UsageError, resolve_config


@dataclass
class PgConfig:
    host: str = "localhost"
    port: int | None = 5432
    database: str | None = None
    username: str | None = None
    password: str | None = None
    sslmode: str | None = None
    sslrootcert: str | None = None
    connect_timeout: int | None = None


@dataclass
class MyConfig:
    host: str = "127.0.0.1"
    port: int | None = 3306
    database: str | None = None
    username: str | None = None
    password: str | None = None
    ssl_mode: str | None = None
    ssl_ca: str | None = None
    charset: str | None = None
    connect_timeout: float = 10.0


class NoBackend:
    pass


PG = CliSpec("dist-pg", "pkg.pg", "PostgreSQL", "postgres", PgConfig, NoBackend, NoBackend, "1.2",
             renames={"ssl_mode": "sslmode", "ssl_ca": "sslrootcert"})  # fmt: skip
MY = CliSpec("dist-my", "pkg.my", "MariaDB", "mysql", MyConfig, NoBackend, NoBackend, "3.4")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    import os

    for name in list(os.environ):
        if name.startswith(("PG", "POSTGRES_", "MYSQL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", "/nonexistent")  # no ~/.my.cnf


def parse(spec, *argv):
    return build_parser(spec).parse_args(prompt_tokens(spec, list(argv)))


def config(spec, *argv):
    return resolve_config(spec, parse(spec, *argv))


def test_psql_short_options():
    c = config(PG, "-h", "db", "-p", "5433", "-U", "app", "-d", "shop", "ping")
    assert (c.host, c.port, c.username, c.database) == ("db", 5433, "app", "shop")


def test_mysql_client_short_options():
    c = config(MY, "-h", "db", "-P", "3307", "-u", "app", "-D", "shop", "ping")
    assert (c.host, c.port, c.username, c.database) == ("db", 3307, "app", "shop")


def test_options_before_and_after_the_command():
    c = config(PG, "--host", "before", "query", "--port", "6000", "SELECT 1")
    assert (c.host, c.port) == ("before", 6000)  # the command's copy does not reset --host
    assert config(PG, "--host", "a", "ping", "--host", "b").host == "b"


def test_environment_then_official_variables_then_the_command_line(monkeypatch):
    monkeypatch.setenv("PGHOST", "libpq-host")
    monkeypatch.setenv("PGPORT", "6001")
    monkeypatch.setenv("POSTGRES_PORT", "6002")
    monkeypatch.setenv("PGSSLMODE", "require")
    c = config(PG, "ping")
    assert (c.host, c.port, c.sslmode) == ("libpq-host", 6002, "require")
    assert config(PG, "--port", "6003", "ping").port == 6003


def test_mysql_client_variables(monkeypatch):
    monkeypatch.setenv("MYSQL_HOST", "h")
    monkeypatch.setenv("MYSQL_TCP_PORT", "3310")
    monkeypatch.setenv("MYSQL_PWD", "from-env")
    c = config(MY, "ping")
    assert (c.host, c.port, c.password) == ("h", 3310, "from-env")


def test_shared_names_reach_the_configs_own_fields():
    c = config(PG, "--sslmode", "verify-full", "--sslrootcert", "/ca.pem", "ping")
    assert (c.sslmode, c.sslrootcert) == ("verify-full", "/ca.pem")
    m = config(
        MY, "--ssl-mode", "verify_identity", "--ssl-ca", "/ca.pem", "--charset", "utf8mb4", "ping"
    )
    assert (m.ssl_mode, m.ssl_ca, m.charset) == ("verify_identity", "/ca.pem", "utf8mb4")


def test_connect_timeout_in_seconds_whole_where_the_config_keeps_whole_seconds():
    assert config(PG, "--connect-timeout", "2.5", "ping").connect_timeout == 3
    assert config(MY, "--connect-timeout", "2.5", "ping").connect_timeout == 2.5


def test_a_bad_variable_is_a_usage_error_naming_it(monkeypatch):
    monkeypatch.setenv("PGPORT", "abc")
    with pytest.raises(UsageError, match="PGPORT"):
        config(PG, "ping")


def test_a_variable_the_config_has_no_field_for_is_named(monkeypatch):
    monkeypatch.setenv("PGAPPNAME", "x")
    with pytest.raises(UsageError, match="application_name"):
        config(PG, "ping")


def test_conn_param_needs_a_named_connection():
    with pytest.raises(UsageError, match="--named-connection"):
        config(PG, "--conn-param", "a=1", "ping")


@pytest.mark.parametrize(
    "argv, expected",
    [
        (["--password"], [PROMPT_FLAG]),
        (["--password", "ping"], [PROMPT_FLAG, "ping"]),  # a command is not a password
        (["--password", "-h", "x"], [PROMPT_FLAG, "-h", "x"]),
        (["--password", "pw", "ping"], ["--password=pw", "ping"]),  # the official form
        (["--password=pw", "ping"], ["--password=pw", "ping"]),
        (["-p", "5432", "ping"], ["-p", "5432", "ping"]),  # psql: -p is the port
        (["query", "--", "--password"], ["query", "--", "--password"]),
    ],
)
def test_password_tokens_postgres(argv, expected):
    assert prompt_tokens(PG, argv) == expected


def test_password_tokens_mysql_client():
    assert prompt_tokens(MY, ["-p", "ping"]) == [PROMPT_FLAG, "ping"]  # bare -p prompts
    assert prompt_tokens(MY, ["-ppw", "ping"]) == ["-ppw", "ping"]
    assert config(MY, "-ppw", "ping").password == "pw"


def test_a_password_value_warns(capsys):
    assert config(PG, "--password", "pw", "ping").password == "pw"
    assert "visible to other users" in capsys.readouterr().err


def test_the_prompt_refuses_a_stdin_that_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    with pytest.raises(UsageError, match="not a terminal"):
        config(PG, "--password", "ping")
    with pytest.raises(UsageError, match="not a terminal"):
        config(PG, "-W", "ping")  # psql's prompt flag
    closed = io.StringIO()
    closed.close()
    monkeypatch.setattr("sys.stdin", closed)
    with pytest.raises(UsageError, match="not a terminal"):
        config(MY, "-p", "ping")


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--port", "0", "ping"], "--port"),
        (["--sslmode", "sometimes", "ping"], "--ssl-mode"),
        (["--connect-timeout", "-1", "ping"], "--connect-timeout"),
        (["--log-level", "LOUD", "ping"], "--log-level"),
        (["--output", "xml", "ping"], "--output"),
        (["introspect", "everything"], "type"),
    ],
)
def test_usage_errors_exit_2_with_one_line(capsys, argv, words):
    assert run(PG, argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and err.startswith("error: ")


def test_an_unknown_command_is_not_echoed(capsys):
    """After a bare ``--password`` the next word may be the password the user meant."""
    assert run(PG, ["-W", "hunter2"]) == 2  # -W prompts; hunter2 lands where the command goes
    assert "hunter2" not in capsys.readouterr().err


def test_help_is_long_only_and_names_the_package(capsys):
    assert run(MY, ["--help"]) == 0
    out = capsys.readouterr().out
    assert "dist-my 3.4" in out and "pkg.my" in out and "MYSQL_TCP_PORT" in out
    assert run(MY, ["-h"]) == 2  # -h is the host: it needs a value
    assert run(MY, ["--version"]) == 0 and "dist-my 3.4" in capsys.readouterr().out
