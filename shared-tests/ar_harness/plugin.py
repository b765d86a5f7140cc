"""pytest plugin of the harness (loaded with ``-p ar_harness.plugin``).

The testsuite's own conftests are collected directly from site-packages; this plugin adds what
they lack: the registry variable, a quiet default for the core's loggers, the
``requires_inner_join`` marker the testsuite uses but
never registers, the cell's database, and the cell description in the JUnit XML.
"""

from __future__ import annotations

import logging
import os

import pytest

os.environ.setdefault("TESTSUITE_PROVIDER_REGISTRY", "ar_harness.registry:provider_registry")

# Every model and backend class of the core gets a logger of its own at DEBUG with a stderr
# handler: 1684 tests would write every statement to the cell log. No test captures log output,
# so records below AR_LOG_LEVEL (default WARNING) are dropped process-wide.
logging.disable(getattr(logging, os.environ.get("AR_LOG_LEVEL", "WARNING").upper()) - 1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "requires_inner_join: needs INNER JOIN support")
    from .scenarios import current_cell, ensure_database

    cell = current_cell()
    # xdist workers inherit the database from the controller, which created it already
    if not hasattr(config, "workerinput"):
        ensure_database(cell)
    config.stash[_CELL] = cell


_CELL = pytest.StashKey()


def pytest_sessionstart(session: pytest.Session) -> None:
    xml = getattr(session.config, "_xml", None)
    cell = session.config.stash.get(_CELL, None)
    if xml is None or cell is None:
        return
    xml.add_global_property("package", cell.profile.package)
    xml.add_global_property("label", cell.profile.label(cell.server))
    xml.add_global_property("server", cell.scenario)
    xml.add_global_property("product", str(cell.server.get("product", "")))
    xml.add_global_property("version", str(cell.server.get("version", "")))
    xml.add_global_property("database", cell.database)
