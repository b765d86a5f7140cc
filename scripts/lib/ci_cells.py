"""Print the docker cells of shared-tests/cells.toml as a GitHub Actions output line.

The CI matrix is generated from the one declaration of the cells, so a cell added there is a
job on GitHub without touching the workflow: `cells=[{"package": ..., "server": ...}, ...]`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

CELLS = Path(__file__).resolve().parents[2] / "shared-tests" / "cells.toml"


def main() -> int:
    kind = sys.argv[1] if len(sys.argv) > 1 else "docker"
    declared = tomllib.loads(CELLS.read_text())[kind]
    cells = [
        {"package": package, "server": server}
        for package, servers in declared.items()
        for server in servers
    ]
    print("cells=" + json.dumps(cells, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
