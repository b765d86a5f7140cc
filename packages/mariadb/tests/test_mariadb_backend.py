"""The family contract, run by the PyMySQL / aiomysql backends against the real server."""

from family_contract.contract import (
    AsyncBackendContract,
    BatchContract,
    SyncBackendContract,
)
from family_contract.tls import TLSContract


class TestMariaDBBackend(SyncBackendContract):
    pass


class TestAsyncMariaDBBackend(AsyncBackendContract):
    pass


class TestMariaDBTLS(TLSContract):
    pass


class TestMariaDBBatch(BatchContract):
    pass
