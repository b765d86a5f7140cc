"""MySQL backend for rhosocial-activerecord (mysql-connector-python), and the home of the
MySQL/MariaDB family code (dialect, features, adapters, errors, transactions, backend core)
that the MariaDB package builds on."""

from .async_backend import AsyncMySQLBackend
from .backend import MySQLBackend
from .config import MySQLConnectionConfig, MySQLFamilyConnectionConfig
from .dialect import MySQLDialect
from .explain import MySQLExplainResult, MySQLExplainRow
from .features import ServerFeatures

__all__ = [
    "MySQLExplainResult",
    "MySQLExplainRow",
    "MySQLBackend",
    "AsyncMySQLBackend",
    "MySQLConnectionConfig",
    "MySQLFamilyConnectionConfig",
    "MySQLDialect",
    "ServerFeatures",
]
__version__ = "0.1.0"
