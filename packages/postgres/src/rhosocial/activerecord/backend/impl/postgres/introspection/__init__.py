"""PostgreSQL introspection: ``backend.introspector`` (sync and async), its status introspector,
and the schema differ of ``PostgresDialect.create_schema_differ()``.

The official backend's class names: ``SyncPostgreSQLIntrospector``, ``AsyncPostgreSQLIntrospector``,
``SyncPostgreSQLStatusIntrospector``, ``AsyncPostgreSQLStatusIntrospector``, ``PostgresSchemaDiffer``.
"""

from .async_introspector import AsyncPostgreSQLIntrospector
from .async_status import AsyncPostgreSQLStatusIntrospector
from .backend_mixin import PostgresIntrospectionMixin
from .differ import PostgresSchemaDiffer, normalize_type
from .introspector import PostgresIntrospectorMixin
from .sync_introspector import SyncPostgreSQLIntrospector
from .sync_status import SyncPostgreSQLStatusIntrospector
from .types import ConstraintInfo, DomainInfo, EnumTypeInfo, PartitionInfo, SequenceInfo

__all__ = [
    "AsyncPostgreSQLIntrospector",
    "AsyncPostgreSQLStatusIntrospector",
    "ConstraintInfo",
    "DomainInfo",
    "EnumTypeInfo",
    "PartitionInfo",
    "PostgresIntrospectionMixin",
    "PostgresIntrospectorMixin",
    "PostgresSchemaDiffer",
    "SequenceInfo",
    "SyncPostgreSQLIntrospector",
    "SyncPostgreSQLStatusIntrospector",
    "normalize_type",
]
