"""Behind a transaction-mode pooler (issue 7, item 5): no statement is prepared on the server.

PgBouncer in transaction mode hands each transaction whichever server session is free, so a
statement psycopg prepared on one session is missing on the next or, worse, another client's
(PgBouncer 1.18: 37-94 of 200 results wrong). What a pooler would hand on is visible without
one: the server session's ``pg_prepared_statements``.
"""

from __future__ import annotations

import dataclasses

from rhosocial.activerecord.backend.impl.postgres import AsyncPostgresBackend, PostgresBackend

RUNS = 12  # over psycopg's default prepare threshold (5), with room to spare
COUNT_PREPARED = "SELECT count(*) AS n FROM pg_prepared_statements"


def _lookup_sql(tag: str) -> str:
    return f"SELECT %s::int + 1 AS {tag}"


def test_default_prepares_repeated_statements_on_the_server(config):
    # The mechanism the pooler setting turns off: without it psycopg prepares after 5 runs.
    backend = PostgresBackend(connection_config=config)
    try:
        for i in range(RUNS):
            assert backend.fetch_one(_lookup_sql("d"), (i,)) == {"d": i + 1}
        assert backend.fetch_one(COUNT_PREPARED)["n"] >= 1
    finally:
        backend.disconnect()


def test_transaction_pooler_prepares_nothing_on_the_server(config):
    pooled = dataclasses.replace(config, transaction_pooler=True)
    backend = PostgresBackend(connection_config=pooled)
    try:
        for i in range(RUNS):
            assert backend.fetch_one(_lookup_sql("p"), (i,)) == {"p": i + 1}
            backend.execute("SELECT %s::text AS t", (str(i),))
        assert backend.fetch_one(COUNT_PREPARED) == {"n": 0}
    finally:
        backend.disconnect()


async def test_transaction_pooler_prepares_nothing_on_the_server_async(config):
    pooled = dataclasses.replace(config, transaction_pooler=True)
    backend = AsyncPostgresBackend(connection_config=pooled)
    try:
        for i in range(RUNS):
            assert await backend.fetch_one(_lookup_sql("a"), (i,)) == {"a": i + 1}
        assert await backend.fetch_one(COUNT_PREPARED) == {"n": 0}
    finally:
        await backend.disconnect()


def test_transaction_pooler_wins_over_prepare_threshold_and_is_validated(config):
    pooled = dataclasses.replace(config, transaction_pooler=True, prepare_threshold=0)
    assert pooled.effective_prepare_threshold() is None
    assert dataclasses.replace(config, prepare_threshold=3).effective_prepare_threshold() == 3
    try:
        dataclasses.replace(config, transaction_pooler="yes")
    except ValueError as e:
        assert "transaction_pooler" in str(e)
    else:
        raise AssertionError("a non-bool transaction_pooler was accepted")
