"""``scripts/bench``: raw driver vs backend API vs ActiveRecord model, paired, in one process.

Exit status: 0 when every backend target holds, 1 when one fails or errors, 2 when no
requested package could run at all.
"""

from __future__ import annotations

import argparse
import logging
import platform
import sys
import time

from . import report
from .runner import WORKLOADS, Runner
from .servers import find_server
from .stacks import BUILDERS, Unavailable

PACKAGES = ("postgres", "mysql", "mariadb")


def _args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n")[0])
    p.add_argument(
        "--package",
        default="all",
        choices=(*PACKAGES, "sqlite", "all"),
        help="backend package (sqlite: the core's reference backend, a harness check)",
    )
    p.add_argument("--server", help="server name from build/servers/scenarios.json")
    p.add_argument(
        "--rounds",
        type=int,
        default=21,
        help="paired samples per workload (default 21; a quarter for insert_10k)",
    )
    p.add_argument("--mode", choices=("sync", "async", "both"), default="both")
    p.add_argument(
        "--only",
        action="append",
        choices=[w.name for w in WORKLOADS],
        help="run only this workload (repeatable)",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="cProfile one extra sample per side and workload (build/bench/profiles/)",
    )
    return p.parse_args(argv)


def bench_package(package: str, args: argparse.Namespace) -> dict | None:
    server = find_server(package, args.server)
    try:
        stack = BUILDERS[package](server)
    except (Unavailable, ImportError) as e:
        print(f"[{package}] skipped: {e}")
        return None
    print(
        f"[{package}] {server.describe()}; {stack.info['driver']}; {args.rounds} rounds", flush=True
    )
    rep: dict = {
        "package": package,
        "server": server.name,
        "server_product": server.product,
        "server_version": server.version,
        "python": platform.python_version(),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "rounds": args.rounds,
        "info": stack.info,
        "logging": "INFO and below disabled (logging.disable)",
        "units": "seconds per operation (per 10,000-row batch for insert_10k)",
        "runs": [],
        "skipped_modes": {},
    }
    modes = ("sync", "async") if args.mode == "both" else (args.mode,)
    for mode in modes:
        if mode == "async" and (stack.raw_async is None or stack.async_backend_cls is None):
            rep["skipped_modes"]["async"] = stack.async_skip or "no async backend"
            continue
        try:
            run = Runner(stack, mode, args.rounds, set(args.only or ()), args.profile).run()
        except Exception as e:  # server unreachable, DDL refused: say so, keep going
            rep["skipped_modes"][mode] = f"{type(e).__name__}: {e}"
            continue
        rep["runs"].append(run)
    secrets = [server.password] if server.password else []
    print(report.table(rep, secrets))
    print(f"[{package}] wrote {report.write(rep, secrets)}\n", flush=True)
    return rep


def main(argv: list[str] | None = None) -> int:
    args = _args(argv)
    # Production setting: DEBUG/INFO logging off. A backend that still formats its log lines
    # eagerly pays for that here, as it would in an application.
    logging.disable(logging.INFO)
    packages = PACKAGES if args.package == "all" else (args.package,)
    reports = [r for r in (bench_package(p, args) for p in packages) if r]
    if not reports:
        return 2
    missed = any(not r["pass"] for rep in reports for run in rep["runs"] for r in run["results"])
    skipped = any(rep["skipped_modes"] for rep in reports if rep["package"] != "sqlite")
    return 1 if missed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
