"""basic/connection, basic/transaction and query/connection: a pool plus a model.

The model is configured with a backend of its own; the tests check that inside
``pool.connection()`` / ``pool.transaction()`` the model resolves to the pool's backend.
"""

from __future__ import annotations

from typing import Any

from rhosocial.activerecord.connection.pool import AsyncBackendPool, BackendPool, PoolConfig
from rhosocial.activerecord.testsuite.feature.basic.connection.interfaces import (
    IBasicConnectionProvider,
)
from rhosocial.activerecord.testsuite.feature.basic.transaction.interfaces import (
    ITransactionBasicProvider,
)
from rhosocial.activerecord.testsuite.feature.query.connection.interfaces import (
    IQueryConnectionProvider,
)

from .base import HarnessProvider, Steps, drive_async, drive_sync


class _PoolProviderBase(HarnessProvider):
    """Pool + model setup, written once; ``_Sync``/``_Async`` below only pick the driver."""

    def pool_steps(self, is_async: bool) -> Steps:
        self.is_async = is_async  # one provider object serves both sides of the interface
        model = self._pool_model(is_async)
        yield from self.install_steps([model], "connection", ["test_users"])
        backend_class = self.backend_class()
        config = PoolConfig(
            min_size=1,
            max_size=5,
            timeout=30.0,
            backend_factory=lambda: backend_class(connection_config=self.cell.make_config()),
        )
        pool_class = AsyncBackendPool if is_async else BackendPool
        pool = yield lambda: pool_class.create(config)
        return pool, model

    def close_steps(self, pool: Any, is_async: bool) -> Steps:
        self.is_async = is_async
        yield pool.close
        yield from self.release_steps()

    @staticmethod
    def _pool_model(is_async: bool) -> type:
        from .. import models

        return models.AsyncPoolUser if is_async else models.PoolUser

    # --- sync side ------------------------------------------------------------------------------
    def setup_sync_pool_and_model(self, scenario_name: str):
        return drive_sync(self.pool_steps(False))

    def cleanup_sync(self, scenario_name: str, pool: BackendPool) -> None:
        drive_sync(self.close_steps(pool, False))

    # --- async side -----------------------------------------------------------------------------
    async def setup_async_pool_and_model(self, scenario_name: str):
        return await drive_async(self.pool_steps(True))

    async def cleanup_async(self, scenario_name: str, pool: AsyncBackendPool) -> None:
        await drive_async(self.close_steps(pool, True))


class BasicConnectionProvider(_PoolProviderBase, IBasicConnectionProvider):
    # The CRUD variants need nothing the context variants do not already provide.
    def setup_sync_pool_for_crud(self, scenario_name: str):
        return self.setup_sync_pool_and_model(scenario_name)

    async def setup_async_pool_for_crud(self, scenario_name: str):
        return await self.setup_async_pool_and_model(scenario_name)


class TransactionBasicProvider(_PoolProviderBase, ITransactionBasicProvider):
    pass


class QueryConnectionProvider(_PoolProviderBase, IQueryConnectionProvider):
    pass
