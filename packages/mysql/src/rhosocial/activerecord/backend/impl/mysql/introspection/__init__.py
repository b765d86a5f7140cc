"""MySQL-family introspection (MySQL and MariaDB): ``backend.introspector`` (sync and async),
its status introspector, and the schema differ of ``MySQLDialect.create_schema_differ()``.

The official backend's class names: ``SyncMySQLIntrospector``, ``AsyncMySQLIntrospector``,
``SyncMySQLStatusIntrospector``, ``AsyncMySQLStatusIntrospector``, ``MySQLSchemaDiffer``.
"""

from .backend_mixin import FamilyIntrospectionMixin
from .differ import MySQLSchemaDiffer, normalize_type
from .introspector import AsyncMySQLIntrospector, MySQLIntrospectorMixin, SyncMySQLIntrospector
from .status import AsyncMySQLStatusIntrospector, SyncMySQLStatusIntrospector
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
