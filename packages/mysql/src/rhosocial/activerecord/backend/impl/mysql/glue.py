"""What the sync and async mysql-connector backends share: settings, dialect, error reading."""

from __future__ import annotations

from . import driver
from .config import MySQLConnectionConfig
from .core import FamilyBackendCore
from .dialect import MySQLDialect
from .errors import ErrorInfo


class MySQLConnectorGlue(FamilyBackendCore):
    """Mixed in before the family base by ``MySQLBackend`` and ``AsyncMySQLBackend``."""

    config_class = MySQLConnectionConfig
    config: MySQLConnectionConfig  # built from config_class (see _config_kwargs)
    dialect_class = MySQLDialect
    #: mysql-connector substitutes ``%s`` tokens only and leaves every other ``%`` alone.
    percent_needs_escape = False

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        return driver.error_info(exc)
