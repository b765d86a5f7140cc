"""Run the shop on every backend whose server is available, sync then async.

python -m shop                  # postgres, mysql, mariadb: each where its server answers
python -m shop postgres         # only these packages
python -m shop sqlite           # the core's SQLite backend, no server needed (sync only)
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback

# The core logs every statement at DEBUG (and each failed one at ERROR, including the one the
# demo provokes on purpose) to stderr by default; the demo prints its own story instead.
# (Before the models are imported: they log their relation setup.)
logging.disable(logging.ERROR)

from . import async_walkthrough, walkthrough  # noqa: E402
from .targets import PACKAGES, Skip, sqlite_target, target  # noqa: E402


def main(argv: list[str]) -> int:
    wanted = argv or list(PACKAGES)
    ran, skipped, failed = [], [], []
    for package in wanted:
        try:
            t = sqlite_target() if package == "sqlite" else target(package)
        except Skip as why:
            skipped.append(f"{package}: {why}")
            continue
        print(f"\n== {package} backend on {t.server}, database {t.database} ==")
        try:
            walkthrough.run(t)
            if t.async_backend is not None:
                asyncio.run(async_walkthrough.run(t))
            ran.append(package)
        except Exception:
            traceback.print_exc()
            failed.append(package)
    print(f"\nran on: {', '.join(ran) or 'nothing'}")
    for line in skipped:
        print(f"skipped {line}")
    if failed:
        print(f"FAILED on: {', '.join(failed)}")
    return 1 if failed or not ran else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
