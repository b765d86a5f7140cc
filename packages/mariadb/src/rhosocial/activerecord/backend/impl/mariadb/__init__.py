"""MariaDB backend for rhosocial-activerecord: PyMySQL (sync) and aiomysql (async) on the
MySQL/MariaDB family code of rhosocial-activerecord-mysql."""

from .async_backend import AsyncMariaDBBackend
from .backend import MariaDBBackend
from .config import MariaDBConnectionConfig
from .dialect import MariaDBDialect
from .explain import (
    MariaDBExplainAnalyzeResult,
    MariaDBExplainJsonResult,
    MariaDBExplainResult,
    MariaDBExplainRow,
)

__all__ = [
    "MariaDBBackend",
    "AsyncMariaDBBackend",
    "MariaDBConnectionConfig",
    "MariaDBDialect",
    "MariaDBExplainResult",
    "MariaDBExplainRow",
    "MariaDBExplainJsonResult",
    "MariaDBExplainAnalyzeResult",
]
__version__ = "0.1.0"
