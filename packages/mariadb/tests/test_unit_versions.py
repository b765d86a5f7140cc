"""MariaDB releases as the mariadb package sees them (no server): a bare ``MariaDBDialect`` for a
version and the dialect a ``MariaDBBackend`` adopts from that server's ``VERSION()`` agree on
what the release can do, and render (or refuse) SQL accordingly."""

import pytest

from rhosocial.activerecord.backend.dialect.exceptions import UnsupportedFeatureError
from rhosocial.activerecord.backend.expression import (
    Column,
    ComparisonPredicate,
    DeleteExpression,
    InsertExpression,
    Literal,
    UpdateExpression,
)
from rhosocial.activerecord.backend.expression.query_parts import ForUpdateClause
from rhosocial.activerecord.backend.expression.statements import ReturningClause, ValuesSource
from rhosocial.activerecord.backend.impl import mariadb
from rhosocial.activerecord.backend.impl.mariadb import (
    MariaDBBackend,
    MariaDBConnectionConfig,
    MariaDBDialect,
)

#: VERSION() -> what differs between releases (10.4: before INSERT ... RETURNING and INET6;
#: 10.5: before SKIP LOCKED).
RELEASES = {
    "10.4.34-MariaDB": dict(returning_insert=False, native_uuid=False, inet6=False, inet4=False, skip_locked=False),
    "10.5.26-MariaDB": dict(returning_insert=True, native_uuid=False, inet6=True, inet4=False, skip_locked=False),
    "10.6.18-MariaDB-log": dict(returning_insert=True, native_uuid=False, inet6=True, inet4=False, skip_locked=True),
    "10.11.9-MariaDB-0+deb12u1": dict(returning_insert=True, native_uuid=True, inet6=True, inet4=True, skip_locked=True),
    "11.4.3-MariaDB": dict(returning_insert=True, native_uuid=True, inet6=True, inet4=True, skip_locked=True),
    "11.8.2-MariaDB-ubu2404": dict(returning_insert=True, native_uuid=True, inet6=True, inet4=True, skip_locked=True),
}  # fmt: skip


@pytest.fixture(params=RELEASES)
def release(request, fake_server):
    """(VERSION() string, the bare dialect for its version, the dialect a backend adopted)."""
    fake_server.version = request.param
    backend = MariaDBBackend()
    backend.connect()
    version = backend.get_server_version()
    assert version == tuple(int(n) for n in request.param.split("-")[0].split("."))
    return request.param, MariaDBDialect(version), backend.dialect


def test_what_each_release_supports(release):
    version_string, *dialects = release
    for d in dialects:
        f = d.features
        assert (d.flavour, d.name) == ("mariadb", "MariaDB")
        supported = dict(
            returning_insert=d.supports_returning_insert(),
            native_uuid=f.native_uuid,
            inet6=f.inet6,
            inet4=f.inet4,
            skip_locked=d.supports_for_update_skip_locked(),
        )
        assert d.supports_for_update_nowait()  # NOWAIT since 10.3
        assert supported == RELEASES[version_string]
        # the same on every release
        assert d.supports_returning_delete() and not d.supports_returning_update()
        assert d.supports_intersect() and d.supports_except() and d.supports_create_sequence()
        assert not d.supports_lateral_join() and not d.supports_json_arrow_operators()
        assert not d.supports_explain_analyze()  # MariaDB's ANALYZE is its own statement
        assert f.json_is_text and f.statement_timeout_variable == "max_statement_time"


def test_returning_is_rendered_for_insert_and_delete_never_for_update(release):
    version_string, *dialects = release
    for d in dialects:
        returning = ReturningClause(d, [Column(d, "id")])
        where = ComparisonPredicate(d, "=", Column(d, "n"), Literal(d, 1))
        values = ValuesSource(d, [[Literal(d, 1)]])
        insert = InsertExpression(d, into="t", columns=["n"], source=values, returning=returning)
        delete = DeleteExpression(d, tables="t", where=where, returning=returning)
        update = UpdateExpression(
            d, table="t", assignments={"n": Literal(d, 2)}, where=where, returning=returning
        )
        assert delete.to_sql() == ("DELETE FROM `t` WHERE `n` = %s RETURNING `id`", (1,))
        if RELEASES[version_string]["returning_insert"]:
            assert insert.to_sql() == ("INSERT INTO `t` (`n`) VALUES (%s) RETURNING `id`", (1,))
        else:
            with pytest.raises(UnsupportedFeatureError):
                insert.to_sql()
        with pytest.raises(UnsupportedFeatureError):
            update.to_sql()


def test_for_update_skip_locked_is_refused_before_10_6_not_sent(release):
    version_string, *dialects = release
    for d in dialects:
        assert ForUpdateClause(d, nowait=True).to_sql() == ("FOR UPDATE NOWAIT", ())
        skip = ForUpdateClause(d, skip_locked=True)
        if RELEASES[version_string]["skip_locked"]:
            assert skip.to_sql() == ("FOR UPDATE SKIP LOCKED", ())
        else:
            with pytest.raises(UnsupportedFeatureError, match="SKIP LOCKED needs .*MariaDB 10.6"):
                skip.to_sql()


def test_before_connecting_the_backend_answers_for_the_newest_mariadb():
    for d in (MariaDBDialect(), MariaDBBackend().dialect):
        assert (d.flavour, d.name, d.features.version) == ("mariadb", "MariaDB", (11, 8, 0))
        assert d.supports_returning_insert() and d.supports_returning_delete()
        assert not d.supports_returning_update() and not d.supports_lateral_join()
        assert d.features.native_uuid and d.features.inet4


def test_public_names():
    names = {"MariaDBBackend", "AsyncMariaDBBackend", "MariaDBConnectionConfig", "MariaDBDialect"}
    assert names <= set(mariadb.__all__)
    assert mariadb.MariaDBConnectionConfig is MariaDBConnectionConfig
    assert mariadb.MariaDBDialect is MariaDBDialect
