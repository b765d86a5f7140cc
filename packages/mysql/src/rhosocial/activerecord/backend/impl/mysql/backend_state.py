"""What the family's backend mixins share, declared once for the type checker.

The mixins (``statements``, ``results``, ``failure_policy``, ``session``, ``bulk``) are combined
with the core's ``StorageBackend`` or ``AsyncStorageBackend``, which provide ``config``,
``logger``, ``in_transaction`` and the connection slots at run time. ``FamilyState`` names them
with the types the family uses, so each mixin type-checks on its own; it adds nothing at run
time but the two driver-glue hooks.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from .config import MySQLFamilyConnectionConfig
from .errors import ErrorInfo

if TYPE_CHECKING:
    from rhosocial.activerecord.backend.type_registry import TypeRegistry

    from .dialect import MySQLDialect
    from .session import ServerInfo


class FamilyState:
    """Slots and hooks every family mixin may use (set by the core and ``_init_family``)."""

    config: MySQLFamilyConnectionConfig
    adapter_registry: TypeRegistry
    #: The driver's connection and cursor (None: not connected).
    _connection: Any
    _cursor: Any
    _dialect: MySQLDialect
    _server_info: ServerInfo | None
    #: Why the server already ended the open transaction (None: it did not).
    _server_rolled_back: str | None

    if TYPE_CHECKING:  # provided by the core's backend classes
        logger: logging.Logger  # the core's logging mixin: a property with a setter

        @property
        def in_transaction(self) -> bool: ...

        def summarize_log_data(self, data: Any) -> Any: ...

    def _error_info(self, exc: BaseException) -> ErrorInfo | None:
        """Driver glue: errno/SQLSTATE/message of a driver exception, None for anything else."""
        raise NotImplementedError

    def _close_dead(self, conn: Any) -> None:
        """Driver glue: close the socket of ``conn`` now, without talking to the server."""
        raise NotImplementedError
