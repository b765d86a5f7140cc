"""The ports of this checkout's own servers (decision 0001, "Servers of one's own").

Every server the scripts start listens in a block of BLOCK_SIZE ports that belongs to this
checkout: the block is chosen from a hash of the checkout's absolute path, moved to the next
free block when a port of it is already taken, and recorded in build/servers/ports.json, so
it stays put across runs even when another checkout later takes a neighbouring block. Two
clones never share a port, and neither can mistake the other's server for its own (ownership
is checked separately: pg_servers/mariadb_servers). `AR_PORT_BASE` forces a base port.

The system PostgreSQL (5432) and MariaDB (3306) are not in any block: they are shared by
design, every test works in a database of its own there.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket

from hostenv import BUILD, REPO, StartError

# Blocks cover 20000-32759: above the usual services and below Linux's ephemeral range
# (ip_local_port_range, 32768-60999 by default). A listening port inside that range can be
# taken at any moment by the local end of some outgoing connection: it happened here, a
# restarted server could not bind 38406 ("Address already in use") with nothing listening.
FIRST = 20000
LAST = 32760  # exclusive
BLOCK_SIZE = 20
BLOCKS = (LAST - FIRST) // BLOCK_SIZE
# Offsets in the block. postgres-N sits at base + N - 10, so the last digit of its port is
# the last digit of the major (base is a multiple of 10): postgres-17 on 2xxx7.
OFFSETS = {
    "postgres-13": 3,
    "postgres-14": 4,
    "postgres-16": 6,
    "postgres-17": 7,
    "postgres-18": 8,
    "postgres-15-tls": 10,
    "mariadb-10.11-tls": 11,
    # 12-19: free for the topologies to come (replicas, proxies)
}
RECORD = BUILD / "servers" / "ports.json"


def _in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _block_free(base: int) -> bool:
    return not any(_in_use(base + offset) for offset in OFFSETS.values())


def base_port() -> int:
    """This checkout's base port: recorded, else chosen now (and recorded)."""
    forced = os.environ.get("AR_PORT_BASE")
    if forced:
        return int(forced)
    try:
        record = json.loads(RECORD.read_text())
        base = int(record["base"])
        if record.get("checkout") == str(REPO) and FIRST <= base < LAST:
            return base
    except (OSError, ValueError, KeyError, TypeError):
        pass  # none yet, or from a checkout that was moved or copied here: choose again
    start = int(hashlib.sha256(str(REPO).encode()).hexdigest(), 16) % BLOCKS
    for step in range(BLOCKS):
        base = FIRST + ((start + step) % BLOCKS) * BLOCK_SIZE
        if _block_free(base):
            RECORD.parent.mkdir(parents=True, exist_ok=True)
            tmp = RECORD.with_suffix(".tmp")
            tmp.write_text(json.dumps({"checkout": str(REPO), "base": base}, indent=2) + "\n")
            tmp.replace(RECORD)
            return base
    raise StartError(f"no free block of ports between {FIRST} and {LAST - 1}")


def port(name: str) -> int:
    return base_port() + OFFSETS[name]
