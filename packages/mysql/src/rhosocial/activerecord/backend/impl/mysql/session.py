"""Connect-time facts and set-up: one probe round trip, the session settings, TLS checks.

``session_setup`` is a generator of the statements a fresh connection runs; the sync and async
``connect`` send each one and feed its ``Raw`` back in, so the sequence is written once.
"""

from __future__ import annotations

import dataclasses
import ssl
from collections.abc import Generator, Sequence
from typing import Any

from . import errors as family_errors
from .backend_state import FamilyState
from .config import MySQLFamilyConnectionConfig
from .features import ServerFeatures
from .results import Raw

#: Connect-time probe: one round trip for everything the backend needs to know.
PROBE_SQL = (
    "SELECT VERSION(), CONNECTION_ID(), @@innodb_rollback_on_timeout, "
    "@@max_allowed_packet, @@innodb_autoinc_lock_mode, @@auto_increment_increment"
)
TLS_PROBE_SQL = "SHOW SESSION STATUS LIKE 'Ssl_cipher'"
#: The server's default, assumed when the probe reads NULL.
DEFAULT_MAX_ALLOWED_PACKET = 4 * 1024 * 1024

Statement = tuple[str, "tuple[Any, ...] | None"]


@dataclasses.dataclass
class ServerInfo:
    """Facts read once per connection."""

    version_string: str
    features: ServerFeatures
    connection_id: int
    rollback_on_timeout: bool
    max_allowed_packet: int
    autoinc_lock_mode: int
    autoinc_increment: int
    tls_cipher: str | None = None


def make_ssl_context(config: MySQLFamilyConnectionConfig) -> ssl.SSLContext | None:
    """An ``SSLContext`` enforcing the configured mode (None when TLS is off).

    Used by the drivers that accept a context (PyMySQL, aiomysql); mysql-connector takes the
    same settings as paths and flags.
    """
    if not config.tls_enabled:
        return None
    if config.tls_verify_cert:
        ctx = ssl.create_default_context(cafile=config.ssl_ca)
        ctx.check_hostname = config.tls_verify_identity
    else:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    if config.ssl_cert:
        ctx.load_cert_chain(config.ssl_cert, config.ssl_key)
    if config.ssl_ciphers:
        ctx.set_ciphers(config.ssl_ciphers)
    return ctx


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class SessionSetup(FamilyState):
    """What a fresh connection runs before it is used, and the facts it reports."""

    _server_version_cache: Any  # the core's slot; the family keeps ``features.version`` there

    def _session_setup(self) -> Generator[Statement, Raw | None, None]:
        """The set-up statements as ``(sql, params)``; each one's ``Raw`` is sent back in.

        The probe comes first, then the session settings and ``init_command``. The
        connection's facts are adopted only once all of them succeeded: ``server_info`` never
        describes a connection still being set up, so a set-up statement cut short (connect
        timeout, cancellation) is not KILLed through a side connection, whose connect could
        outlast the timeout; its connection is closed, which ends the session.
        """
        probe = yield PROBE_SQL, None
        tls = (yield TLS_PROBE_SQL, None) if self.config.tls_enabled else None
        if probe is None or not probe.rows:
            raise family_errors.ConnectFailed("the server sent no reply to the connect probe")
        info = self._server_info_from_probe(
            probe.rows[0], tls.rows[0] if tls and tls.rows else None
        )
        if self.config.tls_enabled and not info.tls_cipher:
            raise self._tls_not_established()
        # not ``yield from``: each statement's Raw is sent back in, which a list cannot take
        for sql, params in self._statement_timeout_statements(info.features):  # noqa: UP028
            yield sql, params
        if self.config.init_command:
            yield self.config.init_command, None
        self._adopt_server_info(info)

    def _tls_not_established(self) -> family_errors.ConnectFailed:
        return family_errors.ConnectFailed(
            f"TLS was required (ssl_mode={self.config.ssl_mode}) but the server at "
            f"{self.config.host}:{self.config.port} did not establish it"
        )

    def _server_info_from_probe(
        self, row: Sequence[Any], tls_row: Sequence[Any] | None
    ) -> ServerInfo:
        version_string = _text(row[0])
        cipher = _text(tls_row[1]) if tls_row and tls_row[1] is not None else None
        return ServerInfo(
            version_string=version_string,
            features=ServerFeatures.from_version_string(version_string),
            connection_id=int(row[1]),
            rollback_on_timeout=bool(int(row[2] or 0)),
            max_allowed_packet=int(row[3] or DEFAULT_MAX_ALLOWED_PACKET),
            autoinc_lock_mode=int(row[4] if row[4] is not None else 1),
            autoinc_increment=int(row[5] or 1),
            tls_cipher=cipher or None,
        )

    def _adopt_server_info(self, info: ServerInfo) -> None:
        self._server_info = info
        self._dialect.features = info.features
        self._server_version_cache = info.features.version

    def _statement_timeout_statements(
        self, features: ServerFeatures
    ) -> list[tuple[str, tuple[Any, ...]]]:
        return self.config.session_statements(features.statement_timeout_variable)
