"""PostgreSQL backend for rhosocial-activerecord (psycopg 3, sync and native asyncio).

from rhosocial.activerecord.backend.impl.postgres import (
    PostgresBackend, AsyncPostgresBackend, PostgresConnectionConfig, PostgresDialect,
)
"""

from .adapters import PostgresEnumAdapter, PostgresJSONAdapter, PostgresJSONBAdapter
from .async_backend import AsyncPostgresBackend
from .async_transaction import AsyncPostgresTransactionManager
from .backend import PostgresBackend
from .config import PostgresConnectionConfig
from .dialect import PostgresDialect
from .errors import (
    CheckViolation,
    ConnectionLostError,
    DataError,
    DeadlockError,
    ExclusionViolation,
    ForeignKeyViolation,
    LockTimeoutError,
    MissingTableError,
    NotNullViolation,
    QueryCanceledError,
    ReadOnlyTransactionError,
    SerializationError,
    StatementTimeoutError,
    TransactionAbortedError,
    UniqueViolation,
)
from .explain import PostgresExplainPlanLine, PostgresExplainResult, PostgresPlanNode
from .transaction import PostgresTransactionManager

__version__ = "0.1.0"

__all__ = [
    "PostgresExplainResult",
    "PostgresExplainPlanLine",
    "PostgresPlanNode",
    "PostgresBackend",
    "AsyncPostgresBackend",
    "PostgresConnectionConfig",
    "PostgresDialect",
    "PostgresJSONBAdapter",
    "PostgresJSONAdapter",
    "PostgresEnumAdapter",
    "PostgresTransactionManager",
    "AsyncPostgresTransactionManager",
    "CheckViolation",
    "DataError",
    "DeadlockError",
    "MissingTableError",
    "ConnectionLostError",
    "ExclusionViolation",
    "ForeignKeyViolation",
    "LockTimeoutError",
    "NotNullViolation",
    "QueryCanceledError",
    "ReadOnlyTransactionError",
    "SerializationError",
    "StatementTimeoutError",
    "TransactionAbortedError",
    "UniqueViolation",
]
