"""TLS against the TLS-enabled instance of the scenario file, and the command-line tool."""

import json
import os
import subprocess
import sys

import pytest
from pg_support import config_for, find_server

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.postgres import PostgresBackend

TLS = find_server(role="tls")
needs_tls = pytest.mark.skipif(
    TLS is None, reason="no PostgreSQL TLS instance in the scenario file"
)


def _ssl_in_use(b) -> bool:
    return b.fetch_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")["ssl"]


@needs_tls
@pytest.mark.parametrize("mode", ["verify-ca", "verify-full"])
def test_verified_tls_connection(mode):
    b = PostgresBackend(
        connection_config=config_for(TLS, sslmode=mode, sslrootcert=TLS["tls"]["ca"])
    )
    try:
        assert _ssl_in_use(b) is True
    finally:
        b.disconnect()


@needs_tls
def test_verify_full_rejects_a_host_name_the_certificate_does_not_name():
    # libpq checks the certificate against ``host`` while ``hostaddr`` says where to connect
    server = dict(TLS, host="not-in-the-certificate.invalid")
    cfg = config_for(server, sslmode="verify-full", sslrootcert=TLS["tls"]["ca"], connect_timeout=3)
    cfg.options = {"hostaddr": TLS["host"]}
    with pytest.raises(core.ConnectionError, match="does not match host name"):
        PostgresBackend(connection_config=cfg).connect()
    cfg.sslmode = "verify-ca"  # the CA alone is still trusted
    b = PostgresBackend(connection_config=cfg)
    try:
        assert _ssl_in_use(b) is True
    finally:
        b.disconnect()


def test_require_against_a_server_without_tls_fails_cleanly(server):
    b = PostgresBackend(connection_config=config_for(server, sslmode="require", connect_timeout=3))
    try:
        ssl_on = b.fetch_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")["ssl"]
    except core.ConnectionError as e:
        assert "SSL" in str(e) or "ssl" in str(e)
    else:
        assert ssl_on is True, "sslmode=require connected without TLS"
    finally:
        b.disconnect()


def _cli(server, *args, env_extra=None):
    env = dict(os.environ)
    env["PGPASSWORD"] = server.get("password") or ""
    env.update(env_extra or {})
    cmd = [
        sys.executable,
        "-m",
        "rhosocial.activerecord.backend.impl.postgres",
        "--host",
        server["host"],
        "--port",
        str(server["port"]),
        "-U",
        server["user"],
        "-d",
        server["database"],
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)


def test_cli_info_ping_query(server):
    info = _cli(server, "info", env_extra={"PGPASSWORD": "not-printed-secret"})
    assert info.returncode == 0, info.stderr
    assert (
        "merge_statement" in info.stdout and "not-printed-secret" not in info.stdout + info.stderr
    )
    assert _cli(server, "ping").returncode == 0
    q = _cli(server, "query", "-o", "json", "SELECT %s::int * 2 AS x, '5%' AS p", "21")
    assert q.returncode == 0 and json.loads(q.stdout) == [{"x": 42, "p": "5%"}]
    bad = _cli(dict(server, port=1), "ping")
    assert bad.returncode == 1
