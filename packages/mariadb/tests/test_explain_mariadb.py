"""Typed explain() of the PyMySQL / aiomysql backends against the real server
(locally MariaDB 10.11: the MariaDB result classes, the engine check, rollback of ANALYZE)."""

from family_contract.explain_contract import (
    AsyncExplainContract,
    SyncExplainContract,
)


class TestMariaDBExplain(SyncExplainContract):
    pass


class TestAsyncMariaDBExplain(AsyncExplainContract):
    pass
