"""Before a release (release.yml): the tag, the package version, and the siblings it needs.

    python scripts/lib/release_check.py TAG [--offline]

TAG is `<package>-v<version>` (`postgres-v0.2.0`, `common-v0.1.1`). Checks that
packages/<package>'s `__version__` (its one version source) says that version, then that every sibling distribution of
this repository the package requires (mariadb -> mysql, mysql/postgres -> common) has a release
on the package index that meets the requirement: a wheel published before its sibling would
not install for anyone. `--offline` skips the index. Writes the step outputs `package=`,
`version=`, `server=` (the docker compose server its tests run against at release; empty for a
package without integration tests) to $GITHUB_OUTPUT, or prints them when that is unset.
Standard library only; the index is asked through pip.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[2]
# The server each package's release tests run on (one docker compose service: a cell of the
# [docker] matrix in shared-tests/cells.toml, plus the package's own tests).
RELEASE_SERVER = {
    "common": "",
    "postgres": "postgres-18",
    "mysql": "mysql-8.4",
    "mariadb": "mariadb-11.4",
}


def _project(package: str) -> dict:
    path = REPO / "packages" / package / "pyproject.toml"
    if not path.is_file():
        raise SystemExit(f"::error::no package {package!r} (no {path.relative_to(REPO)})")
    return tomllib.loads(path.read_text())["project"]


def _version(package: str) -> str:
    """The package's one version source: `__version__` in the file [tool.hatch.version] names."""
    path = REPO / "packages" / package / "pyproject.toml"
    init = path.parent / tomllib.loads(path.read_text())["tool"]["hatch"]["version"]["path"]
    match = re.search(r'^__version__ = "([^"]+)"', init.read_text(), re.M)
    if not match:
        raise SystemExit(f"::error::no __version__ in {init.relative_to(REPO)}")
    return match.group(1)


def _name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else ""


def siblings(package: str) -> list[str]:
    """The package's requirements on other distributions of this repository."""
    ours = {
        _name(tomllib.loads(p.read_text())["project"]["name"])
        for p in REPO.glob("packages/*/pyproject.toml")
    }
    return [r for r in _project(package).get("dependencies", []) if _name(r) in ours]


def released(requirement: str) -> str | None:
    """None when the index has a release meeting `requirement`, else pip's complaint."""
    with tempfile.TemporaryDirectory() as dest:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--dest",
                dest,
                requirement,
            ],
            capture_output=True,
            text=True,
        )
    if proc.returncode == 0:
        return None
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"pip exit {proc.returncode}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("tag")
    parser.add_argument("--offline", action="store_true", help="do not ask the package index")
    args = parser.parse_args(argv)
    package, sep, version = args.tag.partition("-v")
    if not sep or not package or not version:
        print(f"::error::tag {args.tag} is not <package>-v<version>")
        return 1
    _project(package)  # an unknown package is refused with its own message
    actual = _version(package)
    if actual != version:
        print(f"::error::tag {args.tag} says {version} but packages/{package} says {actual}")
        return 1
    missing = []
    for requirement in siblings(package):
        problem = None if args.offline else released(requirement)
        if problem:
            missing.append(requirement)
            print(
                f"::error::{package} {version} requires {requirement}, which has no release "
                f"on the package index ({problem}): release that first"
            )
        else:
            state = "not checked (offline)" if args.offline else "released"
            print(f"sibling {requirement}: {state}")
    if missing:
        return 1
    outputs = f"package={package}\nversion={version}\nserver={RELEASE_SERVER.get(package, '')}\n"
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a") as out:
            out.write(outputs)
    else:
        print(outputs, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
