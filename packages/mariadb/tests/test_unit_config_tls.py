"""MariaDB backend settings (no server): checked when the backend is built, TLS off unless
asked for, verification enforced by the SSL context handed to PyMySQL/aiomysql, and the
password kept out of reprs and errors."""

import re
import socket
import ssl

import certifi
import pytest

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.mariadb import (
    AsyncMariaDBBackend,
    MariaDBBackend,
    MariaDBConnectionConfig,
    cli,
    driver,
)
from rhosocial.activerecord.backend.impl.mysql import errors as fe

SECRET = "s3cr3t-Pa55"


def ssl_context(**settings):
    """The SSL context the sync and the async glue pass to their driver (None: plain TCP)."""
    config = MariaDBBackend(**settings).config
    sync, async_ = driver.connect_kwargs(config), driver.connect_kwargs(config, for_async=True)
    assert ("ssl" in sync) == ("ssl" in async_)
    return sync.get("ssl")


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_plain_kwargs_become_a_mariadb_config():
    config = MariaDBBackend(host="db", port="3307", username="app", database="shop").config
    assert type(config) is MariaDBConnectionConfig
    assert (config.host, config.port, config.database) == ("db", 3307, "shop")
    given = MariaDBConnectionConfig(host="db")
    assert MariaDBBackend(connection_config=given).config is given
    assert AsyncMariaDBBackend(port=None).config.port == 3306


def test_without_tls_settings_the_driver_gets_no_ssl_context():
    assert MariaDBBackend().config.ssl_mode == "disabled"
    assert ssl_context() is None


@pytest.mark.parametrize("settings", [{}, {"ssl_mode": "disabled"}])
def test_pymysql_is_told_not_to_try_tls_when_none_is_asked_for(settings):
    # left to itself PyMySQL encrypts whenever the server offers TLS; aiomysql has no such
    # argument and only starts TLS when given a context
    config = MariaDBBackend(**settings).config
    assert driver.connect_kwargs(config)["ssl_disabled"] is True
    assert "ssl_disabled" not in driver.connect_kwargs(config, for_async=True)
    assert "ssl_disabled" not in driver.connect_kwargs(MariaDBBackend(ssl_mode="required").config)


@pytest.mark.parametrize(
    "settings, verify_mode, check_hostname",
    [
        (dict(ssl_ca=certifi.where()), ssl.CERT_REQUIRED, True),  # a CA: chain and host name
        (dict(ssl_verify_identity=True), ssl.CERT_REQUIRED, True),
        (dict(ssl_mode="VERIFY-IDENTITY"), ssl.CERT_REQUIRED, True),
        (dict(ssl_ca=certifi.where(), ssl_mode="verify_ca"), ssl.CERT_REQUIRED, False),
        (dict(ssl_verify_cert=True), ssl.CERT_REQUIRED, False),
        (dict(ssl_mode="required"), ssl.CERT_NONE, False),  # encrypted, unverified, by name
    ],
)
def test_the_driver_enforces_the_verification_asked_for(settings, verify_mode, check_hostname):
    ctx = ssl_context(**settings)
    assert isinstance(ctx, ssl.SSLContext)
    assert (ctx.verify_mode, ctx.check_hostname) == (verify_mode, check_hostname)
    if "ssl_ca" in settings:
        assert ctx.cert_store_stats()["x509_ca"] > 0  # the given CA file was loaded


def test_cipher_list_reaches_the_context():
    ctx = ssl_context(ssl_mode="required", ssl_ciphers="ECDHE-RSA-AES128-GCM-SHA256")
    tls12 = {c["name"] for c in ctx.get_ciphers() if c["protocol"] == "TLSv1.2"}
    assert tls12 == {"ECDHE-RSA-AES128-GCM-SHA256"}


@pytest.mark.parametrize("setting", ["ssl_ca", "ssl_cert", "ssl_key"])
def test_a_missing_tls_file_is_named_with_its_setting_when_the_backend_is_built(
    setting, tmp_path, fake_server
):
    pem = tmp_path / "given.pem"
    pem.write_text("not read before connecting")
    settings = {"ssl_cert": str(pem), "ssl_key": str(pem), setting: "/nonexistent/x.pem"}
    for backend_class in (MariaDBBackend, AsyncMariaDBBackend):
        with pytest.raises(ValueError) as info:
            backend_class(**settings)
        assert (
            str(info.value)
            == f"{setting}: cannot read '/nonexistent/x.pem': No such file or directory"
        )
    assert fake_server.connects == []


@pytest.mark.parametrize(
    "settings, message",
    [
        (
            dict(ssl_mode="preferred"),
            "ssl_mode must be one of disabled, required, verify_ca, verify_identity; "
            "got 'preferred'",
        ),
        (dict(ssl_mode="disabled", ssl_ca="/ca.pem"), "contradicts the TLS certificates given"),
        (dict(ssl_key="/client.key"), "ssl_cert and ssl_key must be given together"),
        (dict(bulk_max_rows=0), "bulk_max_rows must be at least 1"),
        (dict(statement_timeout=-1), "statement_timeout must be positive"),
        (dict(collation="utf8mb4_bin COLLATE x"), "collation must be a collation name"),
    ],
)
def test_bad_settings_fail_when_the_backend_is_built(settings, message):
    for backend_class in (MariaDBBackend, AsyncMariaDBBackend):
        with pytest.raises(ValueError, match=re.escape(message)):
            backend_class(**settings)


def test_an_unknown_setting_is_named():
    with pytest.raises(TypeError, match="hostname"):
        MariaDBBackend(hostname="db")


def test_password_stays_out_of_reprs_and_connect_errors():
    backend = MariaDBBackend(port=closed_port(), username="app", password=SECRET)
    assert SECRET not in repr(backend.config)
    with pytest.raises(core.ConnectionError) as info:
        backend.connect()
    err = info.value
    assert type(err) is fe.ConnectFailed and err.errno == 2003
    assert all(SECRET not in str(e) + repr(e) for e in (err, err.__cause__))


async def test_async_connect_errors_keep_the_password_out_too():
    backend = AsyncMariaDBBackend(port=closed_port(), username="app", password=SECRET)
    with pytest.raises(fe.ConnectFailed) as info:
        await backend.connect()
    err = info.value
    assert err.errno == 2003
    assert all(SECRET not in str(e) + repr(e) for e in (err, err.__cause__))


def test_cli_takes_the_password_from_the_environment_and_never_prints_it(monkeypatch, capsys):
    monkeypatch.setenv("MYSQL_PWD", SECRET)
    assert cli.main(["ping", "--port", str(closed_port())]) == 1
    out = capsys.readouterr()
    assert "Can't connect" in out.err
    assert SECRET not in out.out + out.err
