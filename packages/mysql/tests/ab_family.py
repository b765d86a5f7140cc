"""In-place A/B of the MySQL-family hot paths against a git revision (decision 0005). Not a test.

``scripts/benchlib/ab.py`` does this for the postgres lookup only; this is the same method for
the family: the mysql and mariadb packages as of REV are extracted and imported under other
names, both sides share one driver connection, each iteration calls every side once in shuffled
order on the same key, each time minus a raw ``execute`` + ``fetchall`` on that connection, and
the verdict is the median. (It belongs beside ``benchlib.ab``; kept here until it moves there.)

    AR_SCENARIOS_FILE=build/servers/scenarios.json .venv/bin/python \
        packages/mysql/tests/ab_family.py REV --package mariadb|mysql \
        [--mode sync|async] [--workload one|hundred] [--iterations N]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import logging
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter_ns

REPO = Path(__file__).resolve().parents[3]
MYSQL_DIR = "packages/mysql/src/rhosocial/activerecord/backend/impl/mysql"
MARIADB_DIR = "packages/mariadb/src/rhosocial/activerecord/backend/impl/mariadb"
TABLE = f"bench_ab_family_{os.getpid()}"


def extract(rev: str, path: str, target: Path, rewrite: dict[str, str]) -> None:
    target.mkdir(parents=True)
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{rev}:{path}"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in names:
        if not name.endswith(".py"):
            continue
        text = subprocess.run(
            ["git", "show", f"{rev}:{path}/{name}"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        for old, new in rewrite.items():
            text = text.replace(old, new)
        (target / name).write_text(text)


def server() -> dict:
    default = REPO / "build" / "servers" / "scenarios.json"
    data = json.loads(Path(os.environ.get("AR_SCENARIOS_FILE") or default).read_text())
    for s in data["servers"]:
        if s["family"] == "mysql" and s["role"] == "matrix":
            return s
    raise SystemExit("no family server")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("rev")
    p.add_argument("--package", default="mariadb")
    p.add_argument("--mode", default="sync")
    p.add_argument("--workload", default="one")
    p.add_argument("--iterations", type=int, default=20000)
    args = p.parse_args()
    logging.disable(logging.INFO)
    tmp = Path(tempfile.mkdtemp())
    extract(args.rev, MYSQL_DIR, tmp / "mysql_at_rev", {})
    extract(
        args.rev,
        MARIADB_DIR,
        tmp / "mariadb_at_rev",
        {"rhosocial.activerecord.backend.impl.mysql": "mysql_at_rev"},
    )
    sys.path.insert(0, str(tmp))
    if args.package == "mariadb":
        from rhosocial.activerecord.backend.impl import mariadb as here

        there = importlib.import_module("mariadb_at_rev")
        names = ("MariaDBBackend", "AsyncMariaDBBackend")
    else:
        from rhosocial.activerecord.backend.impl import mysql as here

        there = importlib.import_module("mysql_at_rev")
        names = ("MySQLBackend", "AsyncMySQLBackend")
    cls_name = names[0] if args.mode == "sync" else names[1]
    s = server()
    settings = dict(
        host=s["host"],
        port=s["port"],
        database=s["database"],
        username=s["user"],
        password=s["password"] or None,
    )
    sides = {
        "this checkout": getattr(here, cls_name)(**settings),
        args.rev: getattr(there, cls_name)(**settings),
    }
    return asyncio.run(run(sides, args))


def share(sides: dict) -> object:
    first, *others = sides.values()
    for b in others:
        b._connection, b._cursor = first._connection, first._cursor
        b._adopt_server_info(first._server_info)
        if hasattr(first, "_loop"):
            b._loop = first._loop
    return first


def queries(args):
    if args.workload == "one":
        return f"SELECT id, name, qty, price, at FROM {TABLE} WHERE id = %s", "fetch_one"
    return f"SELECT id, name, qty, price, at FROM {TABLE} WHERE id > %s LIMIT 100", "fetch_all"


async def settled(result):
    """A sync backend's result as it is, an async one's awaited: one loop measures both (the
    await costs every side, raw included, the same)."""
    return await result if inspect.isawaitable(result) else result


async def run(sides, args) -> int:
    first = sides["this checkout"]
    await settled(first.connect())
    share(sides)
    cur = await settled(first._connection.cursor())
    await settled(cur.execute(f"DROP TABLE IF EXISTS {TABLE}"))
    await settled(
        cur.execute(
            f"CREATE TABLE {TABLE} (id INT PRIMARY KEY, name VARCHAR(50), qty INT, "
            "price DECIMAL(10, 2), at DATETIME(6))"
        )
    )
    await settled(
        cur.execute(
            f"INSERT INTO {TABLE} SELECT seq, CONCAT('n', seq), seq, seq * 1.5, NOW(6) "
            "FROM seq_1_to_1000"
        )
    )
    sql, method = queries(args)
    try:
        calls = {label: getattr(b, method) for label, b in sides.items()}

        async def raw(q, params):
            await settled(cur.execute(q, params))
            return await settled(cur.fetchall())

        calls["raw (same connection)"] = raw
        extra = {label: [] for label in calls}
        order = list(calls)
        for i in range(args.iterations + 200):
            pk = i % 800 + 1
            random.shuffle(order)
            took = {}
            for label in order:
                start = perf_counter_ns()
                await settled(calls[label](sql, (pk,)))
                took[label] = perf_counter_ns() - start
            if i >= 200:
                base = took["raw (same connection)"]
                for label, ns in took.items():
                    extra[label].append(ns - base)
    finally:
        await settled(cur.execute(f"DROP TABLE IF EXISTS {TABLE}"))
        await settled(first.disconnect())
    report(sides, extra, args)
    return 0


def report(sides, extra, args) -> None:
    for label in sides:
        print(
            f"[{args.package} {args.mode} {args.workload}] {label:>14}: "
            f"+{statistics.median(extra[label]) / 1000:.2f} us over raw"
        )


if __name__ == "__main__":
    sys.exit(main())
