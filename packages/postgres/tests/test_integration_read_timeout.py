"""A client-side bound on every round trip (issue 7, item 2): a stalled peer ends a call.

The proxy (``pg_stall_proxy``) keeps the sockets open and forwards nothing, as a frozen host
would. Against c8ae703 the stalled call never returned (``statement_timeout`` acts on the
server only): these tests then fail with "still waiting". Time bounds carry a generous,
stated margin: a busy 2-core machine must not make them flaky.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
import time

import pytest
from pg_stall_proxy import StallProxy

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.postgres import AsyncPostgresBackend, PostgresBackend

# With statement_timeout=1000 ms the default bound is 1 s + the 5 s margin, then at most 5 s for
# the cancel attempt through the stalled link: about 11 s. 40 s is the stated margin.
GIVE_UP = 40.0


@pytest.fixture
def proxy(server):
    p = StallProxy(server["host"], server["port"])
    yield p
    p.close()


def _through(config, proxy, **settings):
    return dataclasses.replace(config, host="127.0.0.1", port=proxy.port, **settings)


def _assert_names_the_bound(error: BaseException) -> None:
    assert isinstance(error, core.OperationalError), repr(error)
    assert "read_timeout" in str(error), str(error)


def test_stalled_peer_ends_within_the_default_bound_sync(config, proxy):
    cfg = _through(config, proxy, statement_timeout=1000, connect_timeout=3)
    backend = PostgresBackend(connection_config=cfg)
    assert backend.fetch_one("SELECT 1 AS x") == {"x": 1}
    proxy.stall()
    outcome: dict[str, object] = {}

    def call() -> None:
        try:
            outcome["result"] = backend.fetch_one("SELECT 2 AS x")
        except BaseException as e:  # noqa: BLE001 - the test inspects it
            outcome["error"] = e

    start = time.monotonic()
    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    worker.join(GIVE_UP)
    took = time.monotonic() - start
    assert not worker.is_alive(), f"still waiting after {GIVE_UP:.0f} s: no client-side bound"
    _assert_names_the_bound(outcome["error"])  # type: ignore[arg-type]
    assert took < GIVE_UP
    # The stalled connection was discarded; with the link back, the backend works again.
    proxy.resume()
    assert backend.fetch_one("SELECT 3 AS x") == {"x": 3}
    backend.disconnect()


async def test_stalled_peer_ends_within_the_default_bound_async(config, proxy):
    cfg = _through(config, proxy, statement_timeout=1000, connect_timeout=3)
    backend = AsyncPostgresBackend(connection_config=cfg)
    assert await backend.fetch_one("SELECT 1 AS x") == {"x": 1}
    proxy.stall()
    try:
        await asyncio.wait_for(backend.fetch_one("SELECT 2 AS x"), GIVE_UP)
    except asyncio.TimeoutError:
        pytest.fail(f"still waiting after {GIVE_UP:.0f} s: no client-side bound")
    except core.DatabaseError as e:
        _assert_names_the_bound(e)
    else:
        pytest.fail("a stalled call returned a result")
    proxy.resume()
    assert await backend.fetch_one("SELECT 3 AS x") == {"x": 3}
    await backend.disconnect()


def test_reachable_server_is_cancelled_and_the_connection_kept_sync(config):
    backend = PostgresBackend(connection_config=dataclasses.replace(config, read_timeout=1.0))
    backend.connect()
    conn = backend._connection
    start = time.monotonic()
    with pytest.raises(core.OperationalError, match="read_timeout=1 s") as caught:
        backend.execute("SELECT pg_sleep(30)")
    assert "cancelled on the server" in str(caught.value)
    assert time.monotonic() - start < 20  # 1 s bound + the cancel; 20 s is the margin
    assert backend._connection is conn and not conn.closed
    assert backend.fetch_one("SELECT 4 AS x") == {"x": 4}
    backend.disconnect()


async def test_reachable_server_is_cancelled_and_the_connection_kept_async(config):
    backend = AsyncPostgresBackend(connection_config=dataclasses.replace(config, read_timeout=1.0))
    await backend.connect()
    conn = backend._connection
    with pytest.raises(core.OperationalError, match="cancelled on the server"):
        await asyncio.wait_for(backend.execute("SELECT pg_sleep(30)"), 20)
    assert backend._connection is conn and not conn.closed
    assert await backend.fetch_one("SELECT 4 AS x") == {"x": 4}
    await backend.disconnect()


def test_read_timeout_inside_a_transaction_loses_it_loudly(config):
    backend = PostgresBackend(connection_config=dataclasses.replace(config, read_timeout=1.0))
    with pytest.raises(core.OperationalError, match="read_timeout"):
        with backend.transaction_manager.transaction():
            backend.execute("SELECT pg_sleep(30)")
    assert backend.fetch_one("SELECT 5 AS x") == {"x": 5}
    backend.disconnect()


def test_default_bound_and_validation(config):
    assert dataclasses.replace(config, statement_timeout=2000).effective_read_timeout() == 7.0
    assert dataclasses.replace(config, read_timeout=0.5).effective_read_timeout() == 0.5
    plain = dataclasses.replace(config, statement_timeout=None, read_timeout=None)
    assert plain.effective_read_timeout() is None
    with pytest.raises(ValueError, match="read_timeout"):
        dataclasses.replace(config, read_timeout=0)
