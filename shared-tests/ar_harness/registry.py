"""The ProviderRegistry the testsuite loads (TESTSUITE_PROVIDER_REGISTRY=ar_harness.registry:provider_registry).

Every provider key the testsuite looks up is registered; ``benchmark.backend.*`` is not, as
direct execute() benchmarks belong to the backend packages themselves.
"""

from __future__ import annotations

from rhosocial.activerecord.testsuite.core.registry import ProviderRegistry

from .providers.basic import BasicAsyncProvider, BasicSyncProvider
from .providers.benchmark import (
    CrudBenchmarkProvider,
    FastAPIBenchmarkProvider,
    MixinBenchmarkProvider,
    QueryBenchmarkProvider,
    TransactionBenchmarkProvider,
)
from .providers.connection import (
    BasicConnectionProvider,
    QueryConnectionProvider,
    TransactionBasicProvider,
)
from .providers.events import (
    EventsAsyncProvider,
    EventsSyncProvider,
    MixinsAsyncProvider,
    MixinsSyncProvider,
)
from .providers.query import QueryAsyncProvider, QuerySyncProvider
from .providers.relation import RelationAsyncProvider, RelationSyncProvider

PROVIDERS = {
    "feature.basic.IBasicSyncProvider": BasicSyncProvider,
    "feature.basic.IBasicAsyncProvider": BasicAsyncProvider,
    "feature.basic.connection.IBasicConnectionProvider": BasicConnectionProvider,
    "feature.basic.transaction.ITransactionBasicProvider": TransactionBasicProvider,
    "feature.query.IQuerySyncProvider": QuerySyncProvider,
    "feature.query.IQueryAsyncProvider": QueryAsyncProvider,
    "feature.query.connection.IQueryConnectionProvider": QueryConnectionProvider,
    "feature.relation.IRelationSyncProvider": RelationSyncProvider,
    "feature.relation.IRelationAsyncProvider": RelationAsyncProvider,
    "feature.events.IEventsSyncProvider": EventsSyncProvider,
    "feature.events.IEventsAsyncProvider": EventsAsyncProvider,
    "feature.mixins.IMixinsSyncProvider": MixinsSyncProvider,
    "feature.mixins.IMixinsAsyncProvider": MixinsAsyncProvider,
    "benchmark.crud.ICrudBenchmarkProvider": CrudBenchmarkProvider,
    "benchmark.query.IQueryBenchmarkProvider": QueryBenchmarkProvider,
    "benchmark.transaction.ITransactionBenchmarkProvider": TransactionBenchmarkProvider,
    "benchmark.mixin.IMixinBenchmarkProvider": MixinBenchmarkProvider,
    "benchmark.fastapi.IFastAPIBenchmarkProvider": FastAPIBenchmarkProvider,
}

provider_registry = ProviderRegistry()
for _key, _provider in PROVIDERS.items():
    provider_registry.register(_key, _provider)
