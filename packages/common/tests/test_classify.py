from __future__ import annotations

import pytest

from rhosocial.activerecord.backend.impl.common.classify import classify, code_only
from rhosocial.activerecord.backend.schema import StatementType

BOTH = ["postgres", "mysql"]

READS = [
    "SELECT 1",
    "  (SELECT id FROM t) UNION (SELECT id FROM u)",
    "select * from t where name = 'INSERT INTO x' -- FOR UPDATE",
    "SELECT /* DELETE FROM t */ 1",
    "SELECT last_update, updated_at FROM t",
    "WITH a AS (SELECT 1) SELECT * FROM a",
    "VALUES (1), (2)",
    "SHOW server_version",
    "EXPLAIN SELECT 1",
    "SELECT count(*) FROM t WHERE note LIKE '%nextval(%'",
    "SELECT 'it''s FOR UPDATE'",
]

WRITES = [
    "INSERT INTO t VALUES (1)",
    "UPDATE t SET a = 1",
    "DELETE FROM t",
    "SELECT * FROM t FOR UPDATE",
    "SELECT * FROM t WHERE id = 1 FOR NO KEY UPDATE",
    "SELECT * FROM t FOR SHARE",
    "SELECT * FROM t FOR KEY SHARE",
    "SELECT * FROM t /* x */ FOR\n  UPDATE SKIP LOCKED",
    "SELECT * FROM t LOCK IN SHARE MODE",
    "SELECT a INTO new_table FROM t",
    "WITH moved AS (DELETE FROM t RETURNING *) SELECT * FROM moved",
    "WITH x AS (INSERT INTO t VALUES (1) RETURNING id) SELECT id FROM x",
    "WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM x",
    "SELECT nextval('s')",
    "SELECT pg_catalog.setval('s', 1)",
    "SELECT pg_advisory_lock(1)",
    "SELECT pg_try_advisory_xact_lock (1)",
    "SELECT GET_LOCK('a', 1)",
    "select release_lock('a')",
    "SELECT set_config('x', '1', false)",
    "SELECT pg_notify('c', 'x')",
    "SELECT 1; DELETE FROM t",
    "EXPLAIN ANALYZE DELETE FROM t",
    "SELECT \"nextval\"('s')",  # a quoted function name is still the function
    "CREATE TABLE t (a int)",
    "BEGIN",
    "SET search_path = x",
    "CALL p()",
    "",
    "SELECT 'unterminated",
    "SELECT 1 /* unterminated",
]


@pytest.mark.parametrize("family", BOTH)
@pytest.mark.parametrize("sql", READS)
def test_reads(sql, family):
    got = classify(sql, family=family)
    assert got.resendable and not got.needs_primary


@pytest.mark.parametrize("family", BOTH)
@pytest.mark.parametrize("sql", WRITES)
def test_writes(sql, family):
    got = classify(sql, family=family)
    assert not got.resendable and got.needs_primary


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT $$ DELETE FROM t $$",
        "SELECT $body$ FOR UPDATE $body$ AS x",
        "SELECT E'it\\'s INSERT'",
        "SELECT 'a\\' AS x",  # standard strings: the backslash is a character
        "SELECT /* outer /* nested FOR UPDATE */ still comment */ 1",
    ],
)
def test_postgres_quoting(sql):
    assert classify(sql, family="postgres").resendable


@pytest.mark.parametrize(
    "sql, resendable",
    [
        ("SELECT 'it\\'s INSERT'", True),
        ('SELECT "a string, UPDATE"', False),  # may be an identifier (ANSI_QUOTES): a word
        ("SELECT `update` FROM t", False),
        ("SELECT 1 # FOR UPDATE", True),
        ("SELECT 1-- FOR UPDATE", True),
        ("SELECT 1--1 FOR UPDATE", False),  # not a comment without the space: 1 - -1
        ("SELECT 1 /*!50000 FOR UPDATE */", False),  # executed by the server
        ("SELECT 1 /*M! FOR UPDATE */", False),
        ("SELECT /*+ MAX_EXECUTION_TIME(1) */ 1", True),  # an optimizer hint
        ("SELECT NEXT VALUE FOR s", False),
        ("SELECT LAST_INSERT_ID(5)", False),
    ],
)
def test_mysql_quoting(sql, resendable):
    assert classify(sql, family="mysql").resendable is resendable
    assert classify(sql, family="mariadb").resendable is resendable


def test_primary_only_reads():
    got = classify("SELECT pg_current_wal_lsn()")
    assert got.resendable and got.needs_primary


@pytest.mark.parametrize(
    "stmt_type",
    [StatementType.DML, StatementType.DDL, StatementType.INSERT, StatementType.TCL],
)
def test_a_write_type_from_the_core_is_trusted(stmt_type):
    assert not classify("SELECT 1", stmt_type).resendable


@pytest.mark.parametrize("stmt_type", [StatementType.DQL, StatementType.SELECT, None])
def test_a_read_type_from_the_core_is_checked(stmt_type):
    assert not classify("SELECT * FROM t FOR UPDATE", stmt_type).resendable
    assert classify("SELECT 1", stmt_type).resendable


def test_extra_writing_functions():
    assert classify("SELECT app.audit_log('x')").resendable
    assert not classify(
        "SELECT app.audit_log('x')", extra_writing_functions=["audit_log"]
    ).resendable


def test_code_only():
    assert code_only("SELECT 'x' -- c\n, \"Col\"") == "SELECT    \n,  Col "
    assert code_only("SELECT 'x", "mysql") is None


@pytest.mark.parametrize(
    "sql, family, resendable",
    [
        ('SELECT "users"."id" FROM "users" WHERE "users"."id" = %s', "postgres", True),
        ('SELECT "t"."a" FROM "t" FOR UPDATE', "postgres", False),
        ("SELECT `t`.`a` FROM `t` WHERE `t`.`id` = %s", "mysql", True),
        ("SELECT `t`.`a` FROM `t` LOCK IN SHARE MODE", "mysql", False),
    ],
)
def test_orm_shaped_statements(sql, family, resendable):
    assert classify(sql, family=family).resendable is resendable
