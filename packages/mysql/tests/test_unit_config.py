"""Family connection settings as the mysql-connector backends see them (no server): bad settings
fail when the backend is built, naming the setting and the value."""

import pytest

from rhosocial.activerecord.backend.impl.mysql import AsyncMySQLBackend, MySQLBackend, driver

BACKENDS = (MySQLBackend, AsyncMySQLBackend)


@pytest.fixture
def pem(tmp_path):
    path = tmp_path / "client.pem"
    path.write_text("-----BEGIN CERTIFICATE-----\n")
    return str(path)


@pytest.mark.parametrize(
    "setting, path, reason",
    [
        ("ssl_ca", "/nonexistent/ca.pem", "No such file or directory"),
        ("ssl_cert", "/nonexistent/client.crt", "No such file or directory"),
        ("ssl_key", "/nonexistent/client.key", "No such file or directory"),
        ("ssl_ca", "/", "Is a directory"),
    ],
)
@pytest.mark.parametrize("backend_class", BACKENDS)
def test_unreadable_tls_files_are_named_before_any_connection(
    backend_class, setting, path, reason, pem
):
    settings = {"ssl_cert": pem, "ssl_key": pem, setting: path}
    with pytest.raises(ValueError) as info:
        backend_class(**settings)
    assert str(info.value) == f"{setting}: cannot read {path!r}: {reason}"


def test_readable_tls_files_reach_the_driver_unchanged(pem):
    config = MySQLBackend(ssl_ca=pem, ssl_cert=pem, ssl_key=pem).config
    kwargs = driver.connect_kwargs(config)
    assert (kwargs["ssl_ca"], kwargs["ssl_cert"], kwargs["ssl_key"]) == (pem, pem, pem)
    assert kwargs["ssl_verify_identity"] is True and kwargs["ssl_disabled"] is False


def test_cli_reports_a_bad_tls_file_as_a_usage_error(capsys):
    from rhosocial.activerecord.backend.impl.mysql import cli

    assert cli.main(["ping", "--ssl-ca", "/nonexistent/ca.pem"]) == 2
    err = capsys.readouterr().err
    assert err == "error: ssl_ca: cannot read '/nonexistent/ca.pem': No such file or directory\n"


@pytest.mark.parametrize(
    "setting, value",
    [
        ("collation", "utf8mb4_bin; DROP TABLE t"),
        ("collation", "utf8mb4 bin"),
        ("collation", ""),
        ("charset", "utf8mb4'"),
    ],
)
@pytest.mark.parametrize("backend_class", BACKENDS)
def test_charset_and_collation_must_be_plain_names(backend_class, setting, value):
    with pytest.raises(ValueError) as info:
        backend_class(**{setting: value})
    assert (
        str(info.value)
        == f"{setting} must be a {setting} name (letters, digits and _ only); got {value!r}"
    )


def test_collation_is_set_after_connecting_not_handed_to_mysql_connector():
    config = MySQLBackend(charset="latin1", collation="latin1_bin").config
    assert "collation" not in driver.connect_kwargs(config)  # its table lacks MariaDB's names
    assert config.session_statements("max_statement_time")[0] == (
        "SET NAMES %s COLLATE %s",
        ("latin1", "latin1_bin"),
    )


@pytest.mark.parametrize("value", [0, -1, None, True, "5", float("inf"), float("nan")])
@pytest.mark.parametrize("backend_class", BACKENDS)
def test_connect_timeout_must_be_a_positive_number(backend_class, value):
    with pytest.raises(ValueError) as info:
        backend_class(connect_timeout=value)
    assert str(info.value) == f"connect_timeout must be a positive number of seconds; got {value!r}"


def test_fractional_socket_timeouts_are_refused_by_name_for_the_sync_driver_only():
    """mysql-connector takes whole seconds; its own complaint surfaced as a failed connect."""
    for setting in ("read_timeout", "write_timeout"):
        with pytest.raises(
            ValueError, match=f"{setting}=0.5: mysql-connector-python takes whole seconds"
        ):
            MySQLBackend(**{setting: 0.5})
        config = AsyncMySQLBackend(**{setting: 0.5}).config
        assert setting not in driver.connect_kwargs(config, for_async=True)  # bounded by asyncio
        assert driver.connect_kwargs(MySQLBackend(**{setting: 3.0}).config)[setting] == 3
