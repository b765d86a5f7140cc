"""pytest plugin: the session's progress in a small JSON file, for run_matrix.py's live view.

Loaded with ``-p ar_harness.progress`` when env ``AR_PROGRESS_FILE`` names the file (it does
nothing otherwise). The file holds ``{"collected", "done", "failed", "finished"}`` and is
replaced atomically, so a reader never sees half a file. It is rewritten at most twice a
second (and at collection and session end): 1684 writes per cell would cost more than the view
is worth.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

_MIN_INTERVAL_S = 0.5


class Progress:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.collected = 0
        self.done = 0
        self.failed: set[str] = set()
        self.written = 0.0

    def write(self, *, force: bool = False, finished: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.written < _MIN_INTERVAL_S:
            return
        self.written = now
        data = {
            "collected": self.collected,
            "done": self.done,
            "failed": len(self.failed),
            "finished": finished,
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(data))
        tmp.replace(self.path)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.collected = len(session.items)
        self.write(force=True)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:  # a failing call, or an error in setup or teardown
            self.failed.add(report.nodeid)

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        self.done += 1
        self.write()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        self.write(force=True, finished=True)


def pytest_configure(config: pytest.Config) -> None:
    path = os.environ.get("AR_PROGRESS_FILE")
    if path and not hasattr(config, "workerinput"):  # the xdist controller reports for all
        config.pluginmanager.register(Progress(Path(path)), "ar_progress")
