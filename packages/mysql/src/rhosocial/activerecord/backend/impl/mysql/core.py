"""Driver-agnostic backend core of the MySQL/MariaDB family.

Everything a family backend does that is not socket I/O lives in one module per concern and is
shared by the sync and async backends of both packages:

- ``statements``: parameter conversion, ``%`` escaping, what a statement expects back;
- ``results``: driver rows -> ``QueryResult``;
- ``failure_policy``: error mapping, the lost-connection and re-run policy, connect errors;
- ``session``: the connect-time probe, session set-up and TLS checks;
- ``bulk``: bulk-insert and ``execute_many`` chunking.

``FamilyBackendCore`` combines them with construction. The backend bases
(``async_backend_base.py``, and ``backend_base.py`` generated from it) only move bytes; the driver glue only opens connections and reads errnos.
"""

from __future__ import annotations

from typing import Any

from .adapters import family_adapters
from .bulk import BulkPlanning
from .config import MySQLFamilyConnectionConfig
from .dialect import MySQLDialect
from .failure_policy import FailurePolicy
from .introspection.backend_mixin import FamilyIntrospectionMixin
from .results import ResultShaping
from .session import ServerInfo, SessionSetup, make_ssl_context
from .statements import StatementPreparation

__all__ = ["FamilyBackendCore", "make_ssl_context"]


class FamilyBackendCore(
    FamilyIntrospectionMixin,
    StatementPreparation,
    ResultShaping,
    FailurePolicy,
    SessionSetup,
    BulkPlanning,
):
    """Mixin holding the shared, I/O-free half of every family backend."""

    #: Set by the driver glue: the name shown by ``info`` and in logs.
    driver_name = "unknown"
    dialect_class: type[MySQLDialect] = MySQLDialect  # set by subclasses
    #: The config class plain keyword arguments are turned into (set by each backend).
    config_class: type[MySQLFamilyConnectionConfig] = MySQLFamilyConnectionConfig

    @classmethod
    def _config_kwargs(cls, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Accept ``connection_config=`` (how the core builds backends) or plain config kwargs."""
        if kwargs.get("connection_config") is not None:
            return kwargs
        backend_keys = ("logging_config", "logger")
        config = {
            k: v for k, v in kwargs.items() if k not in backend_keys and k != "connection_config"
        }
        rest = {k: v for k, v in kwargs.items() if k in backend_keys}
        return {"connection_config": cls.config_class(**config), **rest}

    def _init_family(self) -> None:
        self._dialect = self.dialect_class()
        self._server_info = None
        self._server_rolled_back = None
        for adapter in family_adapters():
            for py_type, db_types in adapter.supported_types.items():
                for db_type in db_types:
                    self.adapter_registry.register(adapter, py_type, db_type, allow_override=True)
        self._init_statements()

    @property
    def dialect(self) -> MySQLDialect:
        return self._dialect

    @property
    def server_info(self) -> ServerInfo | None:
        return self._server_info

    @property
    def threadsafety(self) -> int:
        return 1
