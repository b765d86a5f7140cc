"""Which server a package is benchmarked against.

The scenario file (docs/decisions/0001) is read by ``ar_harness.scenarios``, the repository's
one reader (importable in .venv): the named server, else the first matrix server of the
package's family, else that family's local default, so the bench works before the server
scripts ran.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ar_harness import scenarios

REPO = Path(__file__).resolve().parents[2]

# Package -> server family in the scenario file.
FAMILY = {"postgres": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}


@dataclass(frozen=True)
class Server:
    name: str
    product: str
    host: str
    port: int
    user: str
    password: str
    database: str
    version: str = ""

    def describe(self) -> str:
        """A label safe to print: never includes the password."""
        return f"{self.name} ({self.product} {self.version or '?'} at {self.host}:{self.port})"


def _from_entry(entry: dict) -> Server:
    kwargs = scenarios.config_kwargs(entry)
    return Server(
        name=entry["name"],
        product=entry.get("product", ""),
        host=kwargs["host"],
        port=kwargs["port"],
        user=kwargs["username"],
        password=kwargs["password"] or "",
        database=kwargs["database"],
        version=str(entry.get("version", "")),
    )


def find_server(package: str, name: str | None = None) -> Server:
    """The named server, else the first matrix server of the package's family, else the default."""
    family = FAMILY[package]
    if family == "sqlite":
        return Server("sqlite-memory", "sqlite", "", 0, "", "", ":memory:")
    try:
        return _from_entry(scenarios.matrix_server(family, name))
    except scenarios.CellError as exc:
        raise SystemExit(str(exc)) from None
