"""Command line of the family packages: ``python -m rhosocial.activerecord.backend.impl.mysql``.

    info   [connection options]   driver, driver mode (C extension / pure Python), server,
                                  flavour, version, TLS cipher and the feature flags
    ping   [connection options]   exit 0 when the server answers
    query  SQL [connection options]  run one statement and print its rows as JSON lines

Connection options: --host --port --user --database --ssl-mode --ssl-ca; the password comes
from the environment variable MYSQL_PWD (never from the command line, never printed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any


def build_parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("info", "ping", "query"))
    parser.add_argument("sql", nargs="?", help="statement for the query command")
    parser.add_argument("--host", default=os.environ.get("MYSQL_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("MYSQL_TCP_PORT", "3306")))
    parser.add_argument("--user", default=os.environ.get("MYSQL_USER", "root"))
    parser.add_argument("--database", default=os.environ.get("MYSQL_DATABASE"))
    parser.add_argument(
        "--ssl-mode", default=None, choices=("disabled", "required", "verify_ca", "verify_identity")
    )
    parser.add_argument("--ssl-ca", default=None)
    return parser


def run(argv: Sequence[str] | None, backend_class: type, prog: str) -> int:
    args = build_parser(prog).parse_args(argv)
    try:
        backend = backend_class(
            host=args.host,
            port=args.port,
            username=args.user,
            database=args.database,
            password=os.environ.get("MYSQL_PWD") or None,
            ssl_mode=args.ssl_mode,
            ssl_ca=args.ssl_ca,
        )
    except ValueError as exc:  # a bad setting (e.g. --ssl-ca naming no readable file)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        backend.connect()
    except Exception as exc:  # noqa: BLE001 - report and exit non-zero
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command == "ping":
            return 0 if backend.ping(reconnect=False) else 1
        if args.command == "info":
            print(json.dumps(describe(backend), indent=2))
            return 0
        if not args.sql:
            print("error: query needs an SQL statement", file=sys.stderr)
            return 2
        result = backend.execute(args.sql)
        for row in result.data or []:
            print(json.dumps(row, default=str))
        if result.data is None:
            print(json.dumps({"affected_rows": result.affected_rows}))
        return 0
    except Exception as exc:  # noqa: BLE001
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        backend.disconnect()


def describe(backend: Any) -> dict[str, Any]:
    info = backend.server_info
    return {
        "driver": backend.driver_name,
        "driver_mode": backend.driver_mode,
        "server": info.version_string,
        "flavour": info.features.flavour,
        "version": ".".join(map(str, info.features.version)),
        "tls": info.tls_cipher or "off",
        "innodb_rollback_on_timeout": info.rollback_on_timeout,
        "max_allowed_packet": info.max_allowed_packet,
        "features": info.features.describe(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    from .backend import MySQLBackend

    return run(argv, MySQLBackend, "python -m rhosocial.activerecord.backend.impl.mysql")
