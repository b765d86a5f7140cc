"""``python -m rhosocial.activerecord.backend.impl.postgres``: the shared command line
(``rhosocial.activerecord.backend.impl.common.cli``) with this package's classes, psql's
short options (``-h -p -U -d -W``) and the libpq / ``POSTGRES_*`` variables."""

from __future__ import annotations

from collections.abc import Sequence

from rhosocial.activerecord.backend.impl.common.cli import CliSpec, run


def spec() -> CliSpec:
    from . import __version__
    from .async_backend import AsyncPostgresBackend
    from .backend import PostgresBackend
    from .config import PostgresConnectionConfig

    return CliSpec(
        distribution="rhosocial-activerecord-postgres",
        module="rhosocial.activerecord.backend.impl.postgres",
        product="PostgreSQL",
        family="postgres",
        config_class=PostgresConnectionConfig,
        backend_class=PostgresBackend,
        async_backend_class=AsyncPostgresBackend,
        version=__version__,
        # the config keeps libpq's names for these; used only while it has no ssl_* field
        renames={
            "ssl_mode": "sslmode",
            "ssl_ca": "sslrootcert",
            "ssl_cert": "sslcert",
            "ssl_key": "sslkey",
        },
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run(spec(), argv)
