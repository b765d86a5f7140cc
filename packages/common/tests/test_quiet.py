"""Quiet by default, shown by standard logging configuration: each case in a fresh interpreter
(logging state is process-wide), using the core's real loggers through its SQLite backend."""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = """
import logging, sys
{before}
from rhosocial.activerecord.backend.impl.common.quiet import quiet_core_logging
print("changed", quiet_core_logging())
{after}
from typing import Optional
from rhosocial.activerecord.backend.impl.sqlite import SQLiteBackend
from rhosocial.activerecord.backend.impl.sqlite.config import SQLiteConnectionConfig
from rhosocial.activerecord.backend.options import ExecutionOptions
from rhosocial.activerecord.backend.schema import StatementType
from rhosocial.activerecord.model import ActiveRecord

config = SQLiteConnectionConfig(database=":memory:")
backend = SQLiteBackend(connection_config=config)
backend.connect()
backend.introspect_and_adapt()
backend.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)")
backend.execute(
    "INSERT INTO items (name) VALUES (?)", ("a",), options=ExecutionOptions(StatementType.DML)
)
backend.fetch_all("SELECT * FROM items WHERE name = ?", ("a",))
with backend.transaction():
    backend.execute("UPDATE items SET name = ? WHERE id = ?", ("b", 1))

class Item(ActiveRecord):
    __table_name__ = "items"
    id: Optional[int] = None
    name: str

Item.__backend__ = backend
Item(name="c").save()
Item.query().all()
"""


def _run(before: str = "", after: str = "") -> subprocess.CompletedProcess[str]:
    code = SCRIPT.format(before=textwrap.dedent(before), after=textwrap.dedent(after))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )


def test_the_core_alone_is_noisy():
    """The defect: without the function the same script writes the core's DEBUG lines."""
    code = SCRIPT.replace('print("changed", quiet_core_logging())', "")
    done = subprocess.run(
        [sys.executable, "-c", code.format(before="", after="")],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert done.stderr.count("Executing SQL") >= 4


def test_quiet_when_the_application_configured_nothing():
    done = _run()
    assert done.stdout.startswith("changed True")
    assert done.stderr == ""


def test_basic_config_debug_shows_the_sql():
    done = _run(after="logging.basicConfig(level=logging.DEBUG)")
    lines = [line for line in done.stderr.splitlines() if "Executing SQL" in line]
    assert any("CREATE TABLE items" in line for line in lines)
    assert any("UPDATE items SET name" in line for line in lines)
    assert any("INSERT INTO" in line and "items" in line for line in lines)


def test_the_library_namespace_switch_shows_the_backend_sql_only():
    done = _run(
        after="""
        logging.basicConfig()
        logging.getLogger("rhosocial.activerecord").setLevel(logging.DEBUG)
        """
    )
    assert "DEBUG:rhosocial.activerecord.backend.sqlite:Executing SQL: CREATE TABLE" in done.stderr
    assert "DEBUG:root" not in done.stderr


def test_warnings_stay_hidden_without_configuration_and_shown_with_it():
    emit = 'logging.getLogger("rhosocial.activerecord.backend").warning("core warning")'
    assert "core warning" not in _run(after=emit).stderr
    assert "core warning" in _run(after="logging.basicConfig()\n" + emit).stderr


def test_an_application_that_configured_the_core_is_left_alone():
    done = _run(
        before="""
        from rhosocial.activerecord.logging import configure_logging
        configure_logging(level=logging.INFO)
        """
    )
    assert done.stdout.startswith("changed False")
    assert "Initialized TypeAdaptionMixin" in done.stderr  # the core's behaviour, as configured


def test_an_application_handler_on_a_core_logger_is_kept():
    done = _run(
        before="""
        from rhosocial.activerecord.logging.defaults import get_logger
        mine = logging.StreamHandler(sys.stdout)
        mine.setFormatter(logging.Formatter("APP %(message)s"))
        get_logger("rhosocial.activerecord.worker").addHandler(mine)
        """,
        after='logging.getLogger("rhosocial.activerecord.worker").debug("kept")',
    )
    assert "APP kept" in done.stdout


def test_idempotent():
    done = _run(after='print("again", quiet_core_logging())')
    assert "again False" in done.stdout and done.stderr == ""
