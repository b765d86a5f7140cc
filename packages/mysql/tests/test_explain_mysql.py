"""Typed explain() of the mysql-connector backends (sync and asyncio) against the real server
(locally MariaDB 10.11: the MariaDB result classes, the engine check, rollback of ANALYZE)."""

from family_contract.explain_contract import (
    AsyncExplainContract,
    SyncExplainContract,
)


class TestMySQLExplain(SyncExplainContract):
    pass


class TestAsyncMySQLExplain(AsyncExplainContract):
    pass
