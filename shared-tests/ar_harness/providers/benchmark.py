"""The five benchmark providers (crud, query, transaction, mixin, fastapi).

All of them seed ``benchmark_users`` with the testsuite's deterministic payloads and hand back
the model and the seeded ids; they differ only in the context class. FastAPI adds an app whose
requests each get a connection by one of four strategies: a fresh backend per request
(``context``) or an async pool sized near its minimum, near its maximum, or below the load.
"""

from __future__ import annotations

from typing import Any

import httpx

from rhosocial.activerecord.connection.pool import AsyncBackendPool, PoolConfig
from rhosocial.activerecord.testsuite.benchmark.crud.fixtures.data import (
    make_user_payloads,
    payload_count_for_size,
)
from rhosocial.activerecord.testsuite.benchmark.crud.interfaces import CrudBenchmarkContext
from rhosocial.activerecord.testsuite.benchmark.fastapi.app import create_fastapi_benchmark_app
from rhosocial.activerecord.testsuite.benchmark.fastapi.interfaces import (
    FASTAPI_CONNECTION_STRATEGIES,
    FASTAPI_CONTEXT_STRATEGY,
    FASTAPI_RUNTIME_CONFIGS,
    FastAPIBenchmarkContext,
    UnsupportedBenchmarkScenario,
)
from rhosocial.activerecord.testsuite.benchmark.mixin.interfaces import MixinBenchmarkContext
from rhosocial.activerecord.testsuite.benchmark.query.interfaces import QueryBenchmarkContext
from rhosocial.activerecord.testsuite.benchmark.transaction.interfaces import (
    TransactionBenchmarkContext,
)

from .base import HarnessProvider, Steps, drive_async, drive_sync

_USER = (
    "benchmark.crud.fixtures.models:BenchmarkUser",
    "benchmark.crud.fixtures.models:AsyncBenchmarkUser",
)


class _SeededBenchmark(HarnessProvider):
    context_class: type = CrudBenchmarkContext

    def seed_steps(self, scenario: str, size: str, is_async: bool) -> Steps:
        self.is_async = is_async
        model = self.model(_USER)
        yield from self.install_steps([model], "benchmark", ["benchmark_users"])
        payloads = make_user_payloads(payload_count_for_size(size))
        records = [model(**payload) for payload in payloads]
        for record in records:
            yield record.save
        return model, payloads, [record.id for record in records]

    def context_steps(self, scenario: str, size: str, is_async: bool) -> Steps:
        model, payloads, ids = yield from self.seed_steps(scenario, size, is_async)
        return self.context_class(
            scenario=scenario,
            size=size,
            model_class=model,
            payloads=payloads,
            record_ids=ids,
            backend_namespace=self.cell.profile.import_name(),
            backend_name=self.cell.profile.package,
        )

    def setup_benchmark_sync(self, scenario: str, size: str):
        return drive_sync(self.context_steps(scenario, size, False))

    def teardown_benchmark_sync(self, scenario: str, context: Any) -> None:
        drive_sync(self.release_steps())

    async def setup_benchmark_async(self, scenario: str, size: str):
        return await drive_async(self.context_steps(scenario, size, True))

    async def teardown_benchmark_async(self, scenario: str, context: Any) -> None:
        await drive_async(self.release_steps())


class CrudBenchmarkProvider(_SeededBenchmark):
    context_class = CrudBenchmarkContext


class QueryBenchmarkProvider(_SeededBenchmark):
    context_class = QueryBenchmarkContext


class TransactionBenchmarkProvider(_SeededBenchmark):
    context_class = TransactionBenchmarkContext


class MixinBenchmarkProvider(_SeededBenchmark):
    context_class = MixinBenchmarkContext


class FastAPIBenchmarkProvider(_SeededBenchmark):
    """Async only, as the testsuite's FastAPI benchmarks are."""

    def __init__(self) -> None:
        super().__init__()
        self._pool: AsyncBackendPool | None = None
        self._client: httpx.AsyncClient | None = None

    def get_connection_strategies(self):
        return list(FASTAPI_CONNECTION_STRATEGIES)

    async def setup_benchmark_async(
        self, scenario: str, size: str, connection_strategy: str = FASTAPI_CONTEXT_STRATEGY
    ):
        if connection_strategy not in FASTAPI_RUNTIME_CONFIGS:
            raise UnsupportedBenchmarkScenario(
                f"unknown connection strategy {connection_strategy!r}"
            )
        runtime: dict[str, Any] = FASTAPI_RUNTIME_CONFIGS[connection_strategy]
        model, payloads, ids = await drive_async(self.seed_steps(scenario, size, True))
        backend_class = self.backend_class()
        pool_config = None
        if connection_strategy == FASTAPI_CONTEXT_STRATEGY:
            # A backend of its own per request: connect, adapt, serve, disconnect.
            def factory():
                return backend_class(connection_config=self.cell.make_config()).context()
        else:
            pool_config = {
                "min_size": runtime["pool_min_size"],
                "max_size": runtime["pool_max_size"],
            }
            self._pool = await AsyncBackendPool.create(
                PoolConfig(
                    **pool_config,
                    timeout=60.0,
                    backend_factory=lambda: backend_class(
                        connection_config=self.cell.make_config()
                    ),
                )
            )
            factory = self._pool.connection
        app = create_fastapi_benchmark_app(model, factory, self.cell.profile.package, scenario)
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://benchmark"
        )
        return FastAPIBenchmarkContext(
            scenario=scenario,
            size=size,
            app=app,
            client=self._client,
            model_class=model,
            payloads=payloads,
            record_ids=ids,
            backend_namespace=self.cell.profile.import_name(),
            backend_name=self.cell.profile.package,
            connection_strategy=connection_strategy,
            concurrency=runtime["concurrency"],
            repeat=runtime["repeat"],
            pool_config=pool_config,
            pool_connection_mode=self._pool.connection_mode if self._pool else None,
            pool_stats=self._pool.get_stats if self._pool else None,
        )

    async def teardown_benchmark_async(self, scenario: str, context: Any) -> None:
        if self._client is not None:
            await self._client.aclose()
        if self._pool is not None:
            await self._pool.close()
        await drive_async(self.release_steps())
