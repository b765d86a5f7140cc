"""``python -m rhosocial.activerecord.backend.impl.mariadb``: the shared command line
(``rhosocial.activerecord.backend.impl.common.cli``) with this package's classes, the mysql
client's short options (``-h -P -u -D -p``) and its variables (``MYSQL_HOST``,
``MYSQL_TCP_PORT``, ``MYSQL_PWD``, ``~/.my.cnf``) beside the official ``MYSQL_*``."""

from __future__ import annotations

from collections.abc import Sequence

from rhosocial.activerecord.backend.impl.common.cli import CliSpec, run


def spec() -> CliSpec:
    from . import __version__
    from .async_backend import AsyncMariaDBBackend
    from .backend import MariaDBBackend
    from .config import MariaDBConnectionConfig

    return CliSpec(
        distribution="rhosocial-activerecord-mariadb",
        module="rhosocial.activerecord.backend.impl.mariadb",
        product="MariaDB",
        family="mysql",
        config_class=MariaDBConnectionConfig,
        backend_class=MariaDBBackend,
        async_backend_class=AsyncMariaDBBackend,
        version=__version__,
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run(spec(), argv)
