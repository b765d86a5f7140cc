"""A model's own UseAdapter conversions on insert/update/bulk insert (family core, no server)."""

from collections.abc import Sequence
from enum import Enum

from family_contract.contract import CommaList

from rhosocial.activerecord.backend.expression import RawSQLExpression
from rhosocial.activerecord.backend.impl.mysql import MySQLBackend
from rhosocial.activerecord.backend.impl.mysql.statements import declared_db_type
from rhosocial.activerecord.backend.options import BulkInsertOptions, InsertOptions
from rhosocial.activerecord.backend.type_adapter import BaseSQLTypeAdapter


class Pairs(BaseSQLTypeAdapter):
    """Registers what it is given; writes ``repr`` of the value and its target type."""

    def __init__(self, *pairs) -> None:
        super().__init__()
        for py_type, db_type in pairs:
            self._register_type(py_type, db_type)

    def _do_to_database(self, value, target_type, options=None):
        return f"{value!r}->{target_type.__name__}"

    def _do_from_database(self, value, target_type, options=None):
        return value


class Colour(Enum):
    RED = "red"


def backend():
    return MySQLBackend(host="127.0.0.1", username="nobody")


def test_one_declared_db_type_is_used_generic_keys_match_their_origin():
    assert declared_db_type(CommaList(), list) is str  # registered as list[str]
    assert declared_db_type(Pairs((Enum, str)), Colour) is str  # an Enum subclass is an Enum
    assert declared_db_type(Pairs((list, str), (Sequence[int], bytes)), list) is None  # ambiguous
    assert declared_db_type(CommaList(), int) is None  # not registered at all


def test_sql_expressions_never_get_a_db_type():
    catch_all = Pairs((object, str))
    assert declared_db_type(catch_all, int) is str
    assert declared_db_type(catch_all, RawSQLExpression) is None


def test_insert_applies_declared_adapters_only():
    b = backend()
    suggested_json = b.get_default_adapter_suggestions()[dict][0]
    now = RawSQLExpression(b.dialect, "NOW()")
    doc = {"k": 1}
    options = InsertOptions(
        table="t",
        data={"tags": ["a", "b"], "note": None, "at": now, "doc": doc, "n": 3, "odd": [1]},
        column_adapters={
            "tags": (CommaList(), list),
            "note": (CommaList(), list),
            "at": (Pairs((object, str)), str),
            "doc": (suggested_json, dict),  # the backend's own: left to the parameter converter
            "odd": (Pairs((list, str), (list, bytes)), list),
        },
    )
    data = b._with_declared_adapters(options).data
    assert data["tags"] == "a,b" and data["note"] is None and data["n"] == 3
    assert data["at"] is now and data["doc"] is doc and data["odd"] == [1]
    assert options.data["tags"] == ["a", "b"]  # the caller's options are not changed


def test_bulk_insert_converts_the_declared_columns_of_every_row():
    b = backend()
    rows = [[1, ["x"]], [2, ["y", "z"]], [3, None]]
    options = BulkInsertOptions(
        table="t", columns=["id", "tags"], rows=rows, column_adapters={"tags": (CommaList(), list)}
    )
    assert b._with_declared_adapters(options).rows == [[1, "x"], [2, "y,z"], [3, None]]
    assert rows[1] == [2, ["y", "z"]]


def test_nothing_declared_returns_the_options_as_they_are():
    b = backend()
    suggested = {"doc": (b.get_default_adapter_suggestions()[dict][0], dict)}
    for adapters in (None, {}, suggested, {"other": (CommaList(), list)}):
        insert = InsertOptions(table="t", data={"doc": {"a": 1}}, column_adapters=adapters)
        assert b._with_declared_adapters(insert) is insert
        bulk = BulkInsertOptions(
            table="t", columns=["doc"], rows=[[{"a": 1}]], column_adapters=adapters
        )
        assert b._with_declared_adapters(bulk) is bulk
