"""A peer that resets or stalls: every call ends within its configured bound with a core error,
and the backend is usable afterwards (after ``ping(reconnect=True)``, which is how the core
lets a user recover a backend)."""

from __future__ import annotations

from faultlib.bounds import QUICK, allowed
from faultlib.targets import make_handle, new_table, run_body, timed

from rhosocial.activerecord.backend import errors as core


async def _recovers(h) -> None:
    """Usable again: ping reconnects if it must, then a statement gives the right answer."""
    assert await h.ping(True)
    assert await h.fetch_one("SELECT 7 AS seven") == {"seven": 7}


def test_stall_on_open_connection_ends_within_the_bound(request, pkg, mode, server, proxy):
    config = pkg.config(server, port=proxy.port, **pkg.bounded)
    limit = allowed(pkg.bound_seconds)

    async def body():
        h = make_handle(pkg, mode, config)
        await h.connect()
        assert await h.fetch_one("SELECT 1 AS one") == {"one": 1}
        proxy.stall()
        elapsed, _, exc = await timed(h.fetch_one("SELECT 2 AS two"))
        proxy.forward()
        assert isinstance(exc, core.DatabaseError), f"{type(exc).__mro__}: {exc}"
        assert elapsed <= limit, f"took {elapsed:.1f} s, allowed {limit:.0f} s"
        await _recovers(h)
        await h.disconnect()

    run_body(body, cap=limit + QUICK)


def test_stall_at_connect_ends_within_connect_timeout(pkg, mode, server, proxy):
    config = pkg.config(server, port=proxy.port, **pkg.bounded)
    limit = allowed(pkg.bounded["connect_timeout"])

    async def body():
        proxy.stall()
        h = make_handle(pkg, mode, config)
        elapsed, _, exc = await timed(h.connect())
        assert isinstance(exc, core.ConnectionError), f"{type(exc).__mro__}: {exc}"
        assert elapsed <= limit, f"took {elapsed:.1f} s, allowed {limit:.0f} s"
        proxy.forward()
        await _recovers(h)
        await h.disconnect()

    run_body(body, cap=limit + QUICK)


def test_reset_of_an_idle_connection(pkg, mode, server, proxy, admin):
    """The peer resets: a read reconnects or raises a core error; an INSERT is stored exactly
    once when it reports success, and not at all when it raises."""
    table = new_table()
    admin.run(f"CREATE TABLE {pkg.q(table)} (k INT PRIMARY KEY)")
    config = pkg.config(server, port=proxy.port, **pkg.bounded)
    limit = allowed(pkg.bound_seconds)

    async def body():
        h = make_handle(pkg, mode, config)
        await h.connect()
        assert await h.fetch_one("SELECT 1 AS one") == {"one": 1}
        proxy.reset()
        proxy.forward()  # the server is reachable again: only the old session is gone
        elapsed, row, exc = await timed(h.fetch_one("SELECT 2 AS two"))
        assert elapsed <= limit, f"took {elapsed:.1f} s, allowed {limit:.0f} s"
        if exc is None:
            assert row == {"two": 2}
        else:
            assert isinstance(exc, core.DatabaseError), f"{type(exc).__mro__}: {exc}"
        proxy.reset()
        proxy.forward()
        elapsed, _, exc = await timed(h.execute(f"INSERT INTO {pkg.q(table)} VALUES (1)"))
        assert elapsed <= limit, f"took {elapsed:.1f} s, allowed {limit:.0f} s"
        stored = admin.rows(f"SELECT count(*) FROM {pkg.q(table)}")[0][0]
        if exc is None:
            assert stored == 1
        else:
            assert isinstance(exc, core.DatabaseError), f"{type(exc).__mro__}: {exc}"
            assert stored == 0
        await _recovers(h)
        await h.disconnect()

    run_body(body, cap=limit * 2 + QUICK)
    admin.run(f"DROP TABLE {pkg.q(table)}")


def test_outage_every_call_fails_within_the_bound_then_recovers(pkg, mode, server, proxy):
    """While every connection is reset (an outage), each call fails fast with a core
    ConnectionError; the reconnect attempt that failed says a retry may succeed; once the
    server answers again the backend works."""
    config = pkg.config(server, port=proxy.port, **pkg.bounded)
    limit = allowed(pkg.bound_seconds)

    async def body():
        h = make_handle(pkg, mode, config)
        await h.connect()
        proxy.reset()
        for _ in range(2):
            elapsed, _, exc = await timed(h.fetch_one("SELECT 1 AS one"))
            assert isinstance(exc, core.DatabaseError), f"{type(exc).__mro__}: {exc}"
            assert elapsed <= limit, f"took {elapsed:.1f} s, allowed {limit:.0f} s"
        proxy.forward()
        await _recovers(h)
        await h.disconnect()

    run_body(body, cap=limit * 2 + QUICK)
