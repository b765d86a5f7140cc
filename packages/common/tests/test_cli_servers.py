"""The command line of all three packages, run as subprocesses against the real servers.

One file for the three packages on purpose: the issue asks for one behaviour, and the same
assertions run on each (``python -m rhosocial.activerecord.backend.impl.<name> ...``), sync and
``--use-async``. Servers come from the scenario file (env ``AR_SCENARIOS_FILE``), the first
``role: matrix`` server of each family; without one, the local defaults (127.0.0.1, root).
"""

from __future__ import annotations

import importlib
import json
import os
import pty
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
PACKAGES = {"postgres": "postgres", "mysql": "mysql", "mariadb": "mysql"}
DISTRIBUTION = {p: f"rhosocial-activerecord-{p}" for p in PACKAGES}
#: The native clients' short options: psql's and the mysql client's.
SHORT = {
    "postgres": {"host": "-h", "port": "-p", "user": "-U", "database": "-d"},
    "mysql": {"host": "-h", "port": "-P", "user": "-u", "database": "-D"},
}
PASSWORD_VARIABLE = {"postgres": "PGPASSWORD", "mysql": "MYSQL_PWD"}
SECRET = "s3cr3t-Not-Shown"
#: Variables of the families that the tests' own environment must not leak into a case.
FAMILY_VARIABLES = ("PG", "POSTGRES_", "MYSQL_")


def _server(family: str) -> dict:
    path = Path(os.environ.get("AR_SCENARIOS_FILE", REPO / "build" / "servers" / "scenarios.json"))
    if path.exists():
        for s in json.loads(path.read_text()).get("servers", []):
            if s.get("family") == family and s.get("role") == "matrix":
                return s
    port = 5432 if family == "postgres" else 3306
    return {"host": "127.0.0.1", "port": port, "user": "root", "password": "", "database": "test"}


@pytest.fixture(params=sorted(PACKAGES))
def package(request) -> str:
    return request.param


@pytest.fixture(params=["sync", "async"])
def mode(request) -> list[str]:
    return ["--use-async"] if request.param == "async" else []


class Cli:
    """``python -m <package>`` with the server's connection options (or none)."""

    def __init__(self, package: str) -> None:
        self.package = package
        self.family = PACKAGES[package]
        self.server = _server(self.family)
        self.short = SHORT[self.family]

    def env(self, **extra: str) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(FAMILY_VARIABLES)}
        env[PASSWORD_VARIABLE[self.family]] = self.server.get("password") or ""
        env["HOME"] = "/nonexistent"  # no ~/.my.cnf of the machine's user
        env.update(extra)
        return env

    def connection(self, **override: object) -> list[str]:
        s = {**self.server, **override}
        return [
            self.short["host"], str(s["host"]),
            self.short["port"], str(s["port"]),
            self.short["user"], str(s["user"]),
            self.short["database"], str(s["database"]),
        ]  # fmt: skip

    def run(self, *args: str, env: dict | None = None, stdin=subprocess.DEVNULL, **kw):
        cmd = [sys.executable, "-m", f"rhosocial.activerecord.backend.impl.{self.package}", *args]
        return subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            env=env or self.env(),
            stdin=stdin,
            timeout=120,
            **kw,
        )

    def __call__(self, *args: str, **kw):
        return self.run(*self.connection(), *args, **kw)


@pytest.fixture
def cli(package) -> Cli:
    return Cli(package)


def one_error_line(result, code: int) -> str:
    """The failure is exactly one line on stderr, no traceback, and the expected exit code."""
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def test_help_names_the_package_and_h_is_the_host(cli):
    shown = cli.run("--help")
    assert shown.returncode == 0 and DISTRIBUTION[cli.package] in shown.stdout
    assert f"impl.{cli.package}" in shown.stdout
    for command in ("info", "ping", "query", "introspect", "status", "named-connection",
                    "named-expression", "named-procedure", "named-procedure-graph",
                    "named-migration"):  # fmt: skip
        assert command in shown.stdout
    assert cli.run("query", "--help").returncode == 0
    # -h takes a value (the host), as in psql and the mysql client
    line = one_error_line(cli.run("-h"), 2)
    assert "-h" in line


def test_ping(cli, mode):
    result = cli(*mode, "ping")
    assert result.returncode == 0, result.stderr
    s = cli.server
    assert result.stdout.startswith(f"ok: {s['user']}@{s['host']}:{s['port']}/{s['database']} ")


def test_ping_says_why_the_server_is_unreachable(cli, mode):
    env = cli.env(**{PASSWORD_VARIABLE[cli.family]: SECRET})
    result = cli.run(*cli.connection(port=1), *mode, "ping", env=env)
    line = one_error_line(result, 1)
    assert line.startswith("unreachable: ") and "refused" in line.lower()
    assert SECRET not in result.stdout + result.stderr


def test_unknown_database_is_one_line(cli, mode):
    result = cli.run(*cli.connection(database="no_such_db_k"), *mode, "ping")
    line = one_error_line(result, 1)
    assert "no_such_db_k" in line and ("does not exist" in line or "Unknown database" in line)


@pytest.mark.parametrize(
    "args, named",
    [
        (["--port", "abc", "ping"], "--port"),
        (["--port", "70000", "ping"], "--port"),
        (["--ssl-mode", "sometimes", "ping"], "--ssl-mode"),
        (["--connect-timeout", "-3", "ping"], "--connect-timeout"),
        (["--conn-param", "a=1", "ping"], "--conn-param"),
        (["frobnicate"], "unknown command"),
        (["query"], "the statement is empty"),  # stdin is /dev/null: read, and empty
        (["introspect", "columns"], "needs a table name"),
        ([], "give a command"),
    ],
)
def test_usage_errors_exit_2_with_one_line(cli, args, named):
    assert named in one_error_line(cli(*args), 2)


def test_a_bad_environment_variable_is_named(cli):
    variable = "PGPORT" if cli.family == "postgres" else "MYSQL_TCP_PORT"
    line = one_error_line(cli.run("ping", env=cli.env(**{variable: "abc"})), 2)
    assert variable in line


def test_connection_from_the_environment(cli):
    s = cli.server
    if cli.family == "postgres":
        env = cli.env(PGHOST=s["host"], PGPORT="1", POSTGRES_PORT=str(s["port"]),
                      PGUSER=s["user"], PGDATABASE=s["database"])  # fmt: skip
    else:
        env = cli.env(MYSQL_HOST=s["host"], MYSQL_TCP_PORT=str(s["port"]),
                      MYSQL_USER=s["user"], MYSQL_DATABASE=s["database"])  # fmt: skip
    result = cli.run("ping", env=env)  # POSTGRES_PORT wins over PGPORT (the official's)
    assert result.returncode == 0, result.stderr
    assert f"@{s['host']}:{s['port']}/{s['database']}" in result.stdout
    # the command line wins over the environment
    over = cli.run(cli.short["port"], "1", "ping", env=env)
    assert over.returncode == 1 and ":1" in over.stderr


def test_query_binds_values_and_prints_each_format(cli, mode):
    value = "it's; DROP TABLE x -- %s"
    sql = "SELECT %s AS v, 2 AS n"
    as_json = cli(*mode, "query", "-o", "json", sql, value)
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout) == [{"v": value, "n": 2}]
    csv = cli(*mode, "query", "-o", "csv", sql, value)
    assert csv.stdout.splitlines() == ["v,n", f"{value},2"]
    tsv = cli(*mode, "query", "-o", "tsv", sql, value)
    assert tsv.stdout.splitlines() == ["v\tn", f"{value}\t2"]
    table = cli(*mode, "query", sql, value)
    assert table.returncode == 0 and value in table.stdout


def test_query_from_a_file_and_from_stdin(cli, tmp_path):
    path = tmp_path / "q.sql"
    path.write_text("SELECT 40 + 2 AS answer\n")
    from_file = cli("query", "-o", "json", "-f", str(path))
    assert json.loads(from_file.stdout) == [{"answer": 42}], from_file.stderr
    piped = cli("query", "-o", "json", input="SELECT 6 * 7 AS answer", stdin=None)
    assert json.loads(piped.stdout) == [{"answer": 42}], piped.stderr
    missing = one_error_line(cli("query", "-f", str(tmp_path / "nope.sql")), 2)
    assert "nope.sql" in missing


def test_writes_report_affected_rows_and_errors_are_one_line(cli, mode):
    table = f"cli_{uuid.uuid4().hex[:8]}"
    try:
        assert cli(*mode, "query", f"CREATE TABLE {table} (id INT PRIMARY KEY)").returncode == 0
        insert = cli(
            *mode, "query", "-o", "json", f"INSERT INTO {table} VALUES (%s), (%s)", "1", "2"
        )
        assert json.loads(insert.stdout) == [{"affected_rows": 2}], insert.stderr
        duplicate = cli(*mode, "query", f"INSERT INTO {table} VALUES (%s)", "1")
        assert "error: query: " in one_error_line(duplicate, 1)
    finally:
        cli("query", f"DROP TABLE IF EXISTS {table}")
    missing = cli(*mode, "query", f"SELECT * FROM {table}")
    assert table in one_error_line(missing, 1)


def test_info(cli, mode):
    result = cli(*mode, "info", "-o", "json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["package"].startswith(DISTRIBUTION[cli.package])
    assert info["database"] == cli.server["database"]
    assert info["backend"].startswith("Async" if mode else ("Postgres", "MySQL", "MariaDB"))
    assert info["features"] and isinstance(info["not_supported"], list)


def test_password_on_the_command_line_warns_and_works(cli):
    password = cli.server.get("password") or ""
    result = cli("--password=" + password, "ping")
    assert result.returncode == 0, result.stderr
    assert "visible to other users" in result.stderr


def test_bare_password_never_waits_on_a_redirected_stdin(cli):
    result = cli("ping", "--password")  # stdin is /dev/null
    assert "stdin is not a terminal" in one_error_line(result, 2)
    if cli.family == "mysql":  # the mysql client's bare -p prompts too
        assert "stdin is not a terminal" in one_error_line(cli("-p", "ping"), 2)


def test_bare_password_prompts_on_a_terminal(cli):
    """A real pseudo-terminal on stdin: the prompt appears, the typed password is used."""
    primary, secondary = pty.openpty()
    cmd = [sys.executable, "-m", f"rhosocial.activerecord.backend.impl.{cli.package}",
           *cli.connection(), "--password", "ping"]  # fmt: skip
    # A session of its own: getpass finds no controlling terminal to open and reads the
    # pseudo-terminal on stdin (it accepts stdin only when it is a terminal).
    proc = subprocess.Popen(cmd, stdin=secondary, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=cli.env(), start_new_session=True)  # fmt: skip
    os.close(secondary)
    try:
        prompt = b""
        while b"Password for" not in prompt:  # typed only once asked: getpass flushes input
            chunk = os.read(proc.stderr.fileno(), 256)
            assert chunk, prompt
            prompt += chunk
        os.write(primary, (cli.server.get("password") or "").encode() + b"\n")
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        os.close(primary)
    assert proc.returncode == 0, err
    s = cli.server
    assert f"Password for {s['user']}@{s['host']}:{s['port']}/{s['database']}" in prompt.decode()
    assert out.decode().startswith("ok: ")


def _has_introspector(package: str) -> bool:
    module = importlib.import_module(f"rhosocial.activerecord.backend.impl.{package}")
    classes = [getattr(module, n) for n in dir(module) if n.endswith("Backend")]
    return all(hasattr(c, "introspector") for c in classes if isinstance(c, type))


def test_introspect_and_status(cli, mode):
    table = f"cli_{uuid.uuid4().hex[:8]}"
    assert (
        cli("query", f"CREATE TABLE {table} (id INT PRIMARY KEY, name VARCHAR(20))").returncode == 0
    )
    try:
        tables = cli(*mode, "introspect", "tables", "--json")
        status = cli(*mode, "status", "-o", "json")
        if not _has_introspector(cli.package):
            # This build has no introspector: the commands say so in one line, exit 1.
            assert "has no introspector" in one_error_line(tables, 1)
            assert "has no introspector" in one_error_line(status, 1)
            return
        assert tables.returncode == 0, tables.stderr
        assert table in [t["name"] for t in json.loads(tables.stdout)]
        columns = cli(*mode, "introspect", "columns", table, "--json")
        assert [c["name"] for c in json.loads(columns.stdout)] == ["id", "name"], columns.stderr
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)
        missing = cli(*mode, "introspect", "table", "no_such_table_k")
        assert "no_such_table_k" in one_error_line(missing, 1)
    finally:
        cli("query", f"DROP TABLE {table}")


@pytest.fixture
def named_module(cli, tmp_path):
    """A module with a named connection (to the test server) and a named expression."""
    s = cli.server
    config = {"postgres": "PostgresConnectionConfig", "mysql": "MySQLConnectionConfig",
              "mariadb": "MariaDBConnectionConfig"}[cli.package]  # fmt: skip
    (tmp_path / "k_named.py").write_text(
        textwrap.dedent(f'''
        from rhosocial.activerecord.backend.impl.{cli.package} import {config}
        from rhosocial.activerecord.backend.expression.core import Literal
        from rhosocial.activerecord.backend.expression.statements.dql import QueryExpression


        def test_server(database: str = {s["database"]!r}):
            """The test server."""
            return {config}(host={s["host"]!r}, port={s["port"]}, username={s["user"]!r},
                            password={s.get("password") or ""!r}, database=database)


        def answer(dialect, n: int = 42):
            """One row: n."""
            return QueryExpression(dialect, select=[Literal(dialect, int(n)).as_("answer")])
    ''')
    )
    (tmp_path / "k_empty.py").write_text('"""Nothing named in here."""\n')
    return cli.env(PYTHONPATH=os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")]))


def test_named_connection(cli, named_module, mode):
    env = named_module
    ok = cli.run("--named-connection", "k_named.test_server", *mode, "ping", env=env)
    assert ok.returncode == 0, ok.stderr
    # --conn-param reaches the named connection's parameters
    other = cli.run("--named-connection", "k_named.test_server", "--conn-param",
                    "database=no_such_db_k", "ping", env=env)  # fmt: skip
    assert "no_such_db_k" in one_error_line(other, 1)
    listed = cli.run("named-connection", "--list", "k_named", env=env)
    assert listed.returncode == 0 and "test_server" in listed.stdout, listed.stderr
    missing = cli.run("--named-connection", "k_named.nothing", "ping", env=env)
    assert "k_named.nothing" in one_error_line(missing, 2)


def test_named_expression(cli, named_module, mode):
    env = named_module
    result = cli.run("named-expression", "k_named.answer", "--param", "n=7", "-o", "json",
                     "--named-connection", "k_named.test_server", *mode, env=env)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{"answer": 7}]


@pytest.mark.parametrize(
    "command, kind",
    [
        ("named-procedure", "named procedures"),
        ("named-procedure-graph", "procedure graphs"),
        ("named-migration", "named migrations"),
    ],
)
def test_the_other_named_commands_are_the_cores(cli, named_module, command, kind):
    env = named_module
    conn = ["--named-connection", "k_named.test_server"]
    listed = cli.run(command, "--list", "k_empty", *conn, env=env)
    assert listed.returncode == 0, listed.stderr
    assert f"No {kind} found in module: k_empty" in listed.stdout
    missing = cli.run(command, "k_named.nothing", *conn, env=env)
    assert missing.returncode == 1  # the core's helper prints its own error and exits 1
    assert "nothing" in missing.stdout + missing.stderr
    assert "Traceback" not in missing.stdout + missing.stderr


def test_quiet_unless_asked_and_log_level_shows_the_statements(cli):
    quiet = cli("query", "-o", "json", "SELECT 1 AS one_k")
    assert quiet.returncode == 0 and quiet.stderr == ""
    loud = cli("--log-level", "DEBUG", "query", "-o", "json", "SELECT 1 AS one_k")
    assert loud.returncode == 0 and "SELECT 1 AS one_k" in loud.stderr


def test_a_bad_variable_is_a_usage_error_for_the_named_commands_too(cli):
    variable = "PGPORT" if cli.family == "postgres" else "MYSQL_TCP_PORT"
    result = cli.run("named-expression", "k_named.answer", env=cli.env(**{variable: "abc"}))
    assert variable in one_error_line(result, 2)


def test_verified_tls_through_the_options(cli):
    path = Path(os.environ.get("AR_SCENARIOS_FILE", REPO / "build" / "servers" / "scenarios.json"))
    servers = json.loads(path.read_text()).get("servers", []) if path.exists() else []
    tls = next((s for s in servers if s.get("family") == cli.family and s.get("tls")), None)
    if tls is None:
        pytest.skip("no TLS server of this family in the scenario file")
    mode = "verify-full" if cli.family == "postgres" else "verify_identity"
    args = ["--ssl-mode", mode, "--ssl-ca", tls["tls"]["ca"]]
    result = cli.run(*cli.connection(**tls), *args, "info", "-o", "json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    if cli.family == "postgres":
        assert info["tls"] is True
    ping = cli.run(*cli.connection(**tls), *args, "--use-async", "ping")
    assert ping.returncode == 0 and ping.stdout.startswith("ok: "), ping.stderr
