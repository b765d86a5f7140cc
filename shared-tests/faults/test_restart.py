"""A server restart under an idle connection and under an open transaction.

Idle: the next statement outside a transaction reconnects or raises a core error, and what it
wrote is stored once if it reported success, not at all if it raised. Transaction: the lost
transaction fails loudly (a core error out of the ``transaction()`` block), and nothing of it
is visible afterwards, neither the statements before the restart nor one re-run after it."""

from __future__ import annotations

import pytest
from faultlib.admin import Admin
from faultlib.bounds import QUICK
from faultlib.targets import make_handle, new_table, run_body, timed

from rhosocial.activerecord.backend import errors as core


@pytest.fixture
def table(pkg, admin):
    name = new_table()
    admin.run(f"CREATE TABLE {pkg.q(name)} (k INT PRIMARY KEY, v INT)")
    return name


async def _usable(h) -> None:
    assert await h.ping(True)
    assert await h.fetch_one("SELECT 7 AS seven") == {"seven": 7}


def test_restart_under_an_idle_connection(pkg, mode, server, table):
    q = pkg.q(table)

    async def body():
        h = make_handle(pkg, mode, pkg.config(server))
        await h.connect()
        assert await h.fetch_one("SELECT 1 AS one") == {"one": 1}
        server.restart()
        _, row, read_error = await timed(h.fetch_one("SELECT 2 AS two"))
        _, _, write_error = await timed(h.execute(f"INSERT INTO {q} (k, v) VALUES (1, 1)"))
        await _usable(h)
        await h.disconnect()
        return row, read_error, write_error

    row, read_error, write_error = run_body(body, QUICK * 4)
    admin = Admin(server)
    stored = admin.rows(f"SELECT count(*) FROM {q}")[0][0]
    admin.run(f"DROP TABLE {q}")
    admin.close()
    if read_error is None:
        assert row == {"two": 2}
    else:
        assert isinstance(read_error, core.DatabaseError), f"{type(read_error).__mro__}"
    if write_error is None:
        assert stored == 1
    else:
        assert isinstance(write_error, core.DatabaseError), f"{type(write_error).__mro__}"
        assert stored == 0, "the INSERT raised, yet it is stored"


@pytest.mark.parametrize("then", ["next-statement", "commit"])
def test_restart_inside_a_transaction(pkg, mode, then, server, table):
    q = pkg.q(table)

    async def body():
        h = make_handle(pkg, mode, pkg.config(server))
        await h.connect()
        outcome = None
        try:
            async with h.transaction():
                await h.execute(f"INSERT INTO {q} (k, v) VALUES (1, 1)")
                server.restart()
                if then == "next-statement":
                    await h.execute(f"INSERT INTO {q} (k, v) VALUES (2, 2)")
        except Exception as exc:
            outcome = exc
        await _usable(h)
        after = await h.fetch_all(f"SELECT k FROM {q}")
        await h.disconnect()
        return outcome, after

    outcome, after = run_body(body, QUICK * 4)
    admin = Admin(server)
    stored = admin.rows(f"SELECT k FROM {q} ORDER BY k")
    admin.run(f"DROP TABLE {q}")
    admin.close()
    assert isinstance(outcome, core.DatabaseError), (
        f"the lost transaction did not fail loudly: {type(outcome).__name__}: {outcome}"
    )
    assert (stored, after) == ([], []), "statements of the lost transaction are visible"
