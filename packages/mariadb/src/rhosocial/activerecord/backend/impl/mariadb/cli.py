"""Command line of the MariaDB package (same commands as the MySQL package's CLI)."""

from __future__ import annotations

from collections.abc import Sequence

from rhosocial.activerecord.backend.impl.mysql.cli import run


def main(argv: Sequence[str] | None = None) -> int:
    from .backend import MariaDBBackend

    return run(argv, MariaDBBackend, "python -m rhosocial.activerecord.backend.impl.mariadb")
