"""In-place A/B of the PostgreSQL lookup path: this checkout against a git revision.

    PYTHONPATH=scripts .venv/bin/python -m benchlib.ab [REV] [--iterations N]

Decision 0005: a hot-path change is kept only if it shows here. The package as of REV is
extracted into a temporary directory and imported under another name; both backends share
one psycopg connection, every iteration calls each side once in shuffled order on the same
key, and each time is taken minus that of a raw ``execute`` + ``fetchall`` on that connection.
Prints the median extra cost per lookup of each side. Not a verdict against the targets:
that is ``scripts/bench``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter_ns

from .servers import REPO, find_server

PACKAGE_DIR = "packages/postgres/src/rhosocial/activerecord/backend/impl/postgres"
TABLE = "bench_ab_lookup"


def load_revision(rev: str, into: Path):
    """The postgres package as of ``rev``, imported as the module ``pg_at_rev``."""
    target = into / "pg_at_rev"
    target.mkdir()
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", f"{rev}:{PACKAGE_DIR}"],
        cwd=REPO, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    for name in names:
        blob = subprocess.run(
            ["git", "show", f"{rev}:{PACKAGE_DIR}/{name}"],
            cwd=REPO,
            check=True,
            capture_output=True,
        ).stdout
        (target / name).write_bytes(blob)
    sys.path.insert(0, str(into))
    return importlib.import_module("pg_at_rev")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="benchlib.ab", description=__doc__.split("\n")[0])
    p.add_argument("rev", nargs="?", default="HEAD", help="git revision to compare with")
    p.add_argument("--iterations", type=int, default=20000)
    args = p.parse_args(argv)
    logging.disable(logging.INFO)
    from rhosocial.activerecord.backend.impl import postgres as here

    server = find_server("postgres", None)
    settings = dict(host=server.host, port=server.port, database=server.database,
                    username=server.user, password=server.password or None)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        there = load_revision(args.rev, Path(tmp))
        sides = {}
        for label, module in (("this checkout", here), (args.rev, there)):
            cfg = module.PostgresConnectionConfig(**settings)
            sides[label] = module.PostgresBackend(connection_config=cfg)
        first, *others = sides.values()
        first.connect()
        for backend in others:  # one connection for all: its server process is the same
            backend._connection, backend._cursor = first._connection, first._cursor
            backend._adapt_to_connection(first._connection)
        cur = first._cursor
        cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
        cur.execute(f"CREATE TABLE {TABLE} (id int PRIMARY KEY, name text, qty int, "
                    "price numeric(10, 2), at timestamptz)")  # fmt: skip
        cur.execute(f"INSERT INTO {TABLE} SELECT g, 'n' || g, g, g * 1.5, now() "
                    "FROM generate_series(1, 1000) g")  # fmt: skip
        sql = f"SELECT id, name, qty, price, at FROM {TABLE} WHERE id = %s"
        try:
            calls = {label: b.fetch_one for label, b in sides.items()}
            calls["raw (same connection)"] = lambda q, p: (cur.execute(q, p), cur.fetchall()[0])
            extra: dict[str, list[int]] = {label: [] for label in calls}
            order = list(calls)
            for i in range(args.iterations + 200):
                pk = i % 1000 + 1
                random.shuffle(order)
                took = {}
                for label in order:
                    start = perf_counter_ns()
                    calls[label](sql, (pk,))
                    took[label] = perf_counter_ns() - start
                if i >= 200:  # warm-up: psycopg prepares the statement after 5 runs
                    base = took["raw (same connection)"]
                    for label, ns in took.items():
                        extra[label].append(ns - base)
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {TABLE}")
            first.disconnect()
    for label in sides:
        print(f"{label:>24}: +{statistics.median(extra[label]) / 1000:.2f} us per lookup over raw")
    return 0


if __name__ == "__main__":
    sys.exit(main())
