"""The family contract, run by the PyMySQL / aiomysql backends against the real server."""

from rhosocial.activerecord.backend.impl.mysql.testing.contract import (
    AsyncBackendContract,
    BatchContract,
    SyncBackendContract,
)
from rhosocial.activerecord.backend.impl.mysql.testing.tls import TLSContract


class TestMariaDBBackend(SyncBackendContract):
    pass


class TestAsyncMariaDBBackend(AsyncBackendContract):
    pass


class TestMariaDBTLS(TLSContract):
    pass


class TestMariaDBBatch(BatchContract):
    pass
