"""``python -m rhosocial.activerecord.backend.impl.postgres info|ping|query``.

Connection settings come from options or the usual libpq environment variables (PGHOST,
PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT). The password is only ever
read from PGPASSWORD (never a command-line option, which other users could see in ``ps``) and
is never printed.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

from rhosocial.activerecord.logging import configure_logging

from .backend import PostgresBackend
from .config import PostgresConnectionConfig
from .features import first_versions


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m rhosocial.activerecord.backend.impl.postgres",
        description="PostgreSQL backend tools (password: PGPASSWORD only)",
    )
    p.add_argument("--host", default=os.environ.get("PGHOST", "localhost"))
    p.add_argument("--port", type=int, default=int(os.environ.get("PGPORT", "5432")))
    p.add_argument("--database", "-d", default=os.environ.get("PGDATABASE"))
    p.add_argument("--user", "-U", default=os.environ.get("PGUSER"))
    p.add_argument("--sslmode", default=os.environ.get("PGSSLMODE"))
    p.add_argument("--sslrootcert", default=os.environ.get("PGSSLROOTCERT"))
    p.add_argument("--connect-timeout", type=int, default=5)
    p.add_argument("--verbose", "-v", action="store_true", help="log every statement (DEBUG)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("info", help="server version, settings and the dialect's feature flags")
    sub.add_parser("ping", help="exit 0 if the server answers, 1 otherwise")
    q = sub.add_parser("query", help="run one statement, print rows as JSON lines")
    q.add_argument("sql")
    q.add_argument("params", nargs="*", help="values bound to %%s placeholders, as text")
    return p


def _config(args: argparse.Namespace) -> PostgresConnectionConfig:
    return PostgresConnectionConfig(
        host=args.host,
        port=args.port,
        database=args.database,
        username=args.user,
        password=os.environ.get("PGPASSWORD") or None,
        sslmode=args.sslmode,
        sslrootcert=args.sslrootcert,
        connect_timeout=args.connect_timeout,
        application_name="rhosocial-activerecord-cli",
    )


def _json_default(value: Any) -> str:
    return str(value)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    level = logging.DEBUG if args.verbose else logging.WARNING
    configure_logging(level=level)
    PostgresBackend.__logging_config__.default_level = level
    backend = PostgresBackend(connection_config=_config(args))
    backend.logger.setLevel(level)
    try:
        if args.command == "ping":
            ok = backend.ping()
            print("ok" if ok else "unreachable")
            return 0 if ok else 1
        backend.introspect_and_adapt()
        if args.command == "info":
            row = backend.fetch_one(
                "SELECT version() AS server, current_database() AS database, current_user AS user, "
                "current_setting('server_encoding') AS encoding, current_setting('TimeZone') AS timezone, "
                "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl"
            )
            flags = {
                name: getattr(backend.dialect, f"supports_{name}")() for name in first_versions()
            }
            info = {
                "config": repr(backend.config),
                "version": ".".join(map(str, backend.get_server_version())),
                **(row or {}),
                "features": sorted(n for n, on in flags.items() if on),
                "not_supported": sorted(n for n, on in flags.items() if not on),
            }
            print(json.dumps(info, indent=2, default=_json_default))
            return 0
        result = backend.execute(args.sql, tuple(args.params) or None)
        for row in result.data or []:
            print(json.dumps(row, default=_json_default))
        if result.data is None:
            print(json.dumps({"affected_rows": result.affected_rows}))
        return 0
    except Exception as e:  # noqa: BLE001 - a CLI reports, it does not trace back
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    finally:
        backend.disconnect()
