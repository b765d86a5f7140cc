"""The family contract, run by the mysql-connector backends (sync and asyncio) against the
real server (locally: MariaDB 10.11, i.e. "MySQL driver against a MariaDB server")."""

from family_contract.contract import (
    AsyncBackendContract,
    BatchContract,
    SyncBackendContract,
)
from family_contract.tls import TLSContract

from rhosocial.activerecord.backend.impl.mysql import MySQLBackend, driver


class TestMySQLBackend(SyncBackendContract):
    def test_reports_driver_mode_and_falls_back_to_pure_python(self, backend):
        expected = "pure Python" if not driver.c_extension_available() else "C extension"
        assert backend.driver_mode == expected
        assert backend.execute("SELECT 1 AS one").data == [{"one": 1}]

    def test_forced_pure_python_mode(self, backend_factory):
        backend = backend_factory(use_pure=True)
        assert backend.driver_mode == "pure Python"
        assert type(backend._connection).__module__.startswith("mysql.connector.connection")


class TestAsyncMySQLBackend(AsyncBackendContract):
    async def test_asyncio_driver_connects_to_a_server_without_tls(self, async_backend_factory):
        backend = await async_backend_factory()
        try:
            assert backend.server_info.tls_cipher is None
        finally:
            await backend.disconnect()


class TestMySQLTLS(TLSContract):
    pass


def test_backend_accepts_plain_config_kwargs():
    backend = MySQLBackend(host="127.0.0.1", port=3306, username="root", database="test")
    assert backend.config.port == 3306 and backend.config.ssl_mode == "disabled"


class TestMySQLBatch(BatchContract):
    pass
