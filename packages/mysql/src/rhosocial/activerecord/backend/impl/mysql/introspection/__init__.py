"""MySQL-family introspection (MySQL and MariaDB): ``backend.introspector`` (sync and async),
its status introspector, and the schema differ of ``MySQLDialect.create_schema_differ()``.

The official backend's class names: ``SyncMySQLIntrospector``, ``AsyncMySQLIntrospector``,
``SyncMySQLStatusIntrospector``, ``AsyncMySQLStatusIntrospector``, ``MySQLSchemaDiffer``.
"""

from .async_introspector import AsyncMySQLIntrospector
from .async_status import AsyncMySQLStatusIntrospector
from .backend_mixin import FamilyIntrospectionMixin
from .differ import MySQLSchemaDiffer, normalize_type
from .introspector import MySQLIntrospectorMixin
from .sync_introspector import SyncMySQLIntrospector
from .sync_status import SyncMySQLStatusIntrospector
from .types import ConstraintInfo, PartitionInfo, SequenceInfo

__all__ = [
    "AsyncMySQLIntrospector",
    "AsyncMySQLStatusIntrospector",
    "ConstraintInfo",
    "FamilyIntrospectionMixin",
    "MySQLIntrospectorMixin",
    "MySQLSchemaDiffer",
    "PartitionInfo",
    "SequenceInfo",
    "SyncMySQLIntrospector",
    "SyncMySQLStatusIntrospector",
    "normalize_type",
]
