"""What the PyMySQL (sync) and aiomysql (async) backends share: settings, dialect, errors."""

from __future__ import annotations

from rhosocial.activerecord.backend.impl.mysql.core import FamilyBackendCore
from rhosocial.activerecord.backend.impl.mysql.errors import ErrorInfo

from . import driver
from .config import MariaDBConnectionConfig
from .dialect import MariaDBDialect


class MariaDBGlue(FamilyBackendCore):
    """Mixed in before the family base by ``MariaDBBackend`` and ``AsyncMariaDBBackend``."""

    config_class = MariaDBConnectionConfig
    config: MariaDBConnectionConfig  # built from config_class (see _config_kwargs)
    dialect_class = MariaDBDialect

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        return driver.error_info(exc)
