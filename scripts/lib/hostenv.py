"""Paths, the unprivileged service user, and running commands as that user.

The wheel-built PostgreSQL servers (and initdb) refuse to run as root, and MariaDB wants its
own account, so when this script runs as root every managed server runs as a service user whose
files live where that user can reach them.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pwd
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"
PG_USER = "arpg"  # runs the managed PostgreSQL servers when we are root


class StartError(Exception):
    """A server could not be started or stopped; the message says why and what to do."""


def is_root() -> bool:
    return os.geteuid() == 0


def current_user() -> str:
    return pwd.getpwuid(os.geteuid()).pw_name


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def service_user(preferred: str) -> str:
    """The account a managed server runs as: `preferred` when root (created if missing)."""
    if not is_root():
        return current_user()
    if not user_exists(preferred):
        run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                preferred,
            ]
        )
    return preferred


def run(
    argv: list[str],
    *,
    user: str | None = None,
    cwd: Path | None = None,
    input: str | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run argv (as `user` when we are root and it differs), capturing output."""
    if user and is_root() and user != "root":
        argv = ["runuser", "-u", user, "--", *argv]
    env = dict(os.environ, LC_ALL="C", LANG="C")
    proc = subprocess.run(
        argv, cwd=cwd or "/", input=input, capture_output=True, text=True, env=env
    )
    if check and proc.returncode:
        tail = (proc.stderr or proc.stdout).strip()[-600:]
        raise StartError(f"`{' '.join(argv)}` failed (exit {proc.returncode}): {tail}")
    return proc


def chown(path: Path, user: str, recursive: bool = False) -> None:
    if not is_root():
        return
    entry = pwd.getpwnam(user)
    targets = [path]
    if recursive:
        targets += [Path(d) / n for d, dirs, files in os.walk(path) for n in dirs + files]
    for target in targets:
        os.chown(target, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def can_reach(user: str, path: Path) -> bool:
    """Whether `user` can enter every directory down to `path` (a 0700 home blocks it)."""
    if not is_root() or user == "root":
        return True
    return run(["test", "-x", str(path)], user=user, check=False).returncode == 0


@functools.cache
def state_root(user: str) -> Path:
    """build/ normally; a directory under /var/tmp when `user` cannot reach the checkout."""
    BUILD.mkdir(parents=True, exist_ok=True)
    if can_reach(user, BUILD):
        return BUILD
    digest = hashlib.sha1(str(REPO).encode()).hexdigest()[:10]
    alt = Path("/var/tmp") / f"rhosocial-ar-{digest}"
    alt.mkdir(parents=True, exist_ok=True)
    alt.chmod(0o755)
    print(
        f"  note: user {user} cannot reach {BUILD} (a parent directory is not "
        f"world-executable); managed servers keep their files in {alt}"
    )
    return alt


def which(name: str, *extra_dirs: str) -> str | None:
    for d in extra_dirs:
        candidate = Path(d) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)
