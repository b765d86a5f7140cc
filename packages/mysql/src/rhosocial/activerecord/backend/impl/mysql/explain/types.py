"""Typed EXPLAIN results of the MySQL/MariaDB family.

Three output shapes, one parser each:

- tabular (plain ``EXPLAIN``, MariaDB's ``ANALYZE``): one ``MySQLExplainRow`` per row;
  MariaDB's ``ANALYZE`` adds ``r_rows`` and ``r_filtered`` (``MariaDBExplainRow``);
- ``FORMAT=JSON`` (both servers, and MariaDB's ``ANALYZE FORMAT=JSON``): every ``table``
  object of the document, in document order, as a ``MySQLPlanTable``; MySQL puts costs in
  ``cost_info`` and strings in ``filtered``/``rows_examined_per_scan``, MariaDB plain numbers
  and the ``r_*`` execution figures;
- ``FORMAT=TREE`` and ``EXPLAIN ANALYZE`` (MySQL 8.0.16+/8.0.18+): the indented ``->`` lines
  as a tree of ``MySQLTreeNode``.

A MySQL server's EXPLAIN gives ``MySQLExplainResult``; a MariaDB server's (through either
package) gives ``MariaDBExplainResult`` or, for JSON and ANALYZE, its subclasses
``MariaDBExplainJsonResult``/``MariaDBExplainAnalyzeResult`` (the official backend's names).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from rhosocial.activerecord.backend.explain import BaseExplainResult

IndexUsage = Literal["full_scan", "index_with_lookup", "covering_index", "unknown"]


def _number(value: Any) -> float | None:
    """MySQL writes many figures as strings ("100.00", "1.25K" never: always plain)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


class MySQLExplainRow(BaseModel):
    """One row of tabular EXPLAIN output (column names lower-cased; ``Extra`` is ``extra``)."""

    id: int | None = None
    select_type: str | None = None
    table: str | None = None
    partitions: str | None = None
    type: str | None = None
    possible_keys: str | None = None
    key: str | None = None
    key_len: str | None = None
    ref: str | None = None
    rows: int | None = None
    filtered: float | None = None
    extra: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> MySQLExplainRow:
        fields = cls.model_fields
        values: dict[str, Any] = {}
        for column, value in row.items():
            name = str(column).lower()
            if name not in fields or value is None:
                continue
            if isinstance(value, (bytes, bytearray)):
                value = value.decode()
            if name in ("id", "rows"):
                number = _number(value)
                value = None if number is None else int(number)
            elif name in ("filtered", "r_rows", "r_filtered"):
                value = _number(value)
            else:
                value = str(value)
            values[name] = value
        return cls(**values)


class MariaDBExplainRow(MySQLExplainRow):
    """A tabular row of MariaDB's ``ANALYZE``: the estimates and what execution measured."""

    r_rows: float | None = None
    r_filtered: float | None = None


_TABLE_KEYS = (
    "table_name",
    "access_type",
    "possible_keys",
    "key",
    "key_length",
    "used_key_parts",
    "ref",
    "attached_condition",
)


class MySQLPlanTable(BaseModel):
    """One ``table`` object of a ``FORMAT=JSON`` document.

    ``rows`` is MariaDB's ``rows`` or MySQL's ``rows_examined_per_scan``; ``cost`` is MySQL's
    ``cost_info.prefix_cost`` (the cost up to and including this table's join) or MariaDB
    11's ``cost``. The ``r_*`` figures come from MariaDB's ``ANALYZE FORMAT=JSON``.
    """

    select_id: int | None = None
    table_name: str | None = None
    access_type: str | None = None
    possible_keys: list[str] | None = None
    key: str | None = None
    key_length: str | None = None
    used_key_parts: list[str] | None = None
    ref: list[str] | None = None
    rows: float | None = None
    filtered: float | None = None
    cost: float | None = None
    attached_condition: str | None = None
    r_loops: float | None = None
    r_rows: float | None = None
    r_filtered: float | None = None
    r_table_time_ms: float | None = None
    r_other_time_ms: float | None = None
    #: every other key of the object (cost_info, used_columns, r_engine_stats, ...)
    extra: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_json(cls, table: Mapping[str, Any], select_id: int | None) -> MySQLPlanTable:
        values: dict[str, Any] = {"select_id": select_id}
        extra: dict[str, Any] = {}
        for key, value in table.items():
            if key in _TABLE_KEYS:
                values[key] = value
            elif key in ("rows", "rows_examined_per_scan"):
                values["rows"] = _number(value)
            elif key in ("filtered", "r_loops", "r_rows", "r_filtered", "cost"):
                values[key] = _number(value)
            elif key in ("r_table_time_ms", "r_other_time_ms"):
                values[key] = _number(value)
            elif isinstance(value, (dict, list)) and _has_tables(value):
                continue  # nested plan parts: their tables are collected on their own
            else:
                extra[key] = value
        cost_info = table.get("cost_info")
        if values.get("cost") is None and isinstance(cost_info, Mapping):
            values["cost"] = _number(cost_info.get("prefix_cost"))
        values["extra"] = extra
        return cls(**values)

    @property
    def r_total_time_ms(self) -> float | None:
        """MariaDB's time in this table's engine calls plus its condition checks."""
        if self.r_table_time_ms is None and self.r_other_time_ms is None:
            return None
        return (self.r_table_time_ms or 0.0) + (self.r_other_time_ms or 0.0)


def _has_tables(value: Any) -> bool:
    if isinstance(value, Mapping):
        return (
            "table" in value
            or "query_block" in value
            or any(_has_tables(v) for v in value.values())
        )
    if isinstance(value, list):
        return any(_has_tables(v) for v in value)
    return False


def _collect_tables(
    value: Any, select_id: int | None, found: list[MySQLPlanTable]
) -> list[MySQLPlanTable]:
    """Every ``table`` object below ``value``, in document order, with its block's select_id."""
    if isinstance(value, Mapping):
        if isinstance(value.get("select_id"), int):
            select_id = value["select_id"]
        for key, item in value.items():
            if key == "table" and isinstance(item, Mapping):
                found.append(MySQLPlanTable.from_json(item, select_id))
                for nested in item.values():
                    if isinstance(nested, (Mapping, list)):
                        _collect_tables(nested, select_id, found)
            elif isinstance(item, (Mapping, list)):
                _collect_tables(item, select_id, found)
    elif isinstance(value, list):
        for item in value:
            _collect_tables(item, select_id, found)
    return found


# "-> Filter: (t.id < 10)  (cost=2.06 rows=9) (actual time=0.02..0.03 rows=9 loops=1)"
_TREE_LINE = re.compile(r"^(?P<indent> *)-> (?P<text>.*)$")
_COST = re.compile(
    r"\(cost=(?P<cost>[\d.e+]+)(?:\.\.(?P<total>[\d.e+]+))? rows=(?P<rows>[\d.e+]+)\)"
)
_ACTUAL = re.compile(
    r"\(actual time=(?P<first>[\d.e+]+)\.\.(?P<last>[\d.e+]+) rows=(?P<rows>[\d.e+]+) "
    r"loops=(?P<loops>\d+)\)"
)
_NEVER = re.compile(r"\(never executed\)")


class MySQLTreeNode(BaseModel):
    """One ``->`` line of ``FORMAT=TREE`` / ``EXPLAIN ANALYZE`` output, with its children.

    ``cost`` and ``rows`` are the optimizer's estimates; ``actual_*`` (EXPLAIN ANALYZE) are the
    time to the first and the last row in milliseconds, rows and loops as measured.
    """

    operation: str
    cost: float | None = None
    rows: float | None = None
    actual_first_row_ms: float | None = None
    actual_last_row_ms: float | None = None
    actual_rows: float | None = None
    actual_loops: int | None = None
    never_executed: bool = False
    children: list[MySQLTreeNode] = Field(default_factory=list)

    def walk(self) -> Iterator[MySQLTreeNode]:
        yield self
        for child in self.children:
            yield from child.walk()


def parse_tree(text: str) -> list[MySQLTreeNode]:
    """The roots of a TREE text (one root for a plain statement)."""
    roots: list[MySQLTreeNode] = []
    stack: list[tuple[int, MySQLTreeNode]] = []
    for line in text.splitlines():
        match = _TREE_LINE.match(line)
        if match is None:
            continue  # continuation lines of long conditions carry no node
        indent, body = len(match.group("indent")), match.group("text")
        cost, actual, never = _COST.search(body), _ACTUAL.search(body), _NEVER.search(body)
        cut = min([m.start() for m in (cost, actual, never) if m] or [len(body)])
        node = MySQLTreeNode(
            operation=body[:cut].rstrip(),
            cost=float(cost.group("total") or cost.group("cost")) if cost else None,
            rows=float(cost.group("rows")) if cost else None,
            actual_first_row_ms=float(actual.group("first")) if actual else None,
            actual_last_row_ms=float(actual.group("last")) if actual else None,
            actual_rows=float(actual.group("rows")) if actual else None,
            actual_loops=int(actual.group("loops")) if actual else None,
            never_executed=never is not None,
        )
        while stack and stack[-1][0] >= indent:
            stack.pop()
        (stack[-1][1].children if stack else roots).append(node)
        stack.append((indent, node))
    return roots


def _usage(access: list[tuple[str | None, str | None, bool]]) -> IndexUsage:
    """(access type, key, covering) of every table -> the plan's index usage."""
    if not access:
        return "unknown"
    if any(kind == "ALL" for kind, _key, _cov in access):
        return "full_scan"
    if any(key for _kind, key, _cov in access):
        keyed = [cov for kind, key, cov in access if key]
        return "covering_index" if all(keyed) else "index_with_lookup"
    return "unknown"


class MySQLExplainResult(BaseExplainResult):
    """The result of ``backend.explain()`` on a MySQL server.

    Attributes:
        format: ``TRADITIONAL`` (tabular), ``JSON`` or ``TREE``.
        analyze: True when the statement was executed (and rolled back).
        rows: the tabular rows (TRADITIONAL).
        tables: every table access of a JSON plan, in document order.
        tree: the roots of a TREE plan (TREE, EXPLAIN ANALYZE).
        query_cost: the whole statement's estimated cost (MySQL JSON).
        r_total_time_ms: the outer query block's execution time (MariaDB ANALYZE FORMAT=JSON).
        json_data: the parsed JSON document; raw_output: the text the server sent (JSON, TREE).
    """

    format: str = "TRADITIONAL"
    analyze: bool = False
    rows: list[MySQLExplainRow] = Field(default_factory=list)
    tables: list[MySQLPlanTable] = Field(default_factory=list)
    tree: list[MySQLTreeNode] = Field(default_factory=list)
    query_cost: float | None = None
    r_total_time_ms: float | None = None
    json_data: dict[str, Any] | None = None
    raw_output: str | None = None

    @classmethod
    def from_rows(
        cls, raw_rows: list[dict[str, Any]], sql: str, duration: float, fmt: str, analyze: bool
    ) -> MySQLExplainResult:
        common: dict[str, Any] = {
            "raw_rows": raw_rows,
            "sql": sql,
            "duration": duration,
            "format": fmt,
            "analyze": analyze,
        }
        if fmt == "TRADITIONAL":
            row_class = cls._row_class()
            return cls(**common, rows=[row_class.from_row(row) for row in raw_rows])
        text = ""
        if raw_rows:
            value = next(iter(raw_rows[0].values()))
            text = value.decode() if isinstance(value, (bytes, bytearray)) else str(value)
        if fmt == "TREE":
            return cls(**common, tree=parse_tree(text), raw_output=text)
        document = json.loads(text) if text else {}
        block = document.get("query_block", {}) if isinstance(document, dict) else {}
        cost_info = block.get("cost_info") if isinstance(block, dict) else None
        return cls(
            **common,
            tables=_collect_tables(document, None, []),
            query_cost=_number(cost_info.get("query_cost"))
            if isinstance(cost_info, dict)
            else None,
            r_total_time_ms=_number(block.get("r_total_time_ms"))
            if isinstance(block, dict)
            else None,
            json_data=document if isinstance(document, dict) else None,
            raw_output=text,
        )

    @classmethod
    def _row_class(cls) -> type[MySQLExplainRow]:
        return MySQLExplainRow

    def analyze_index_usage(self) -> IndexUsage:
        """How the plan reads its tables (tabular rows, JSON tables or TREE operations)."""
        if self.rows:
            return _usage(
                [(r.type, r.key, "Using index" in (r.extra or "")) for r in self.rows if r.table]
            )
        if self.tables:
            return _usage(
                [(t.access_type, t.key, bool(t.extra.get("using_index"))) for t in self.tables]
            )
        operations = [n.operation for root in self.tree for n in root.walk()]
        if any(op.startswith("Table scan") for op in operations):
            return "full_scan"
        if any(op.startswith("Covering index") for op in operations):
            return "covering_index"
        if any(op.startswith(("Index", "Single-row index", "Constant row")) for op in operations):
            return "index_with_lookup"
        return "unknown"

    @property
    def is_full_scan(self) -> bool:
        return self.analyze_index_usage() == "full_scan"

    @property
    def is_index_used(self) -> bool:
        return self.analyze_index_usage() in ("index_with_lookup", "covering_index")

    @property
    def is_covering_index(self) -> bool:
        return self.analyze_index_usage() == "covering_index"


class MariaDBExplainResult(MySQLExplainResult):
    """The result of ``backend.explain()`` on a MariaDB server (tabular EXPLAIN)."""

    # a narrower row type (MariaDB rows add r_rows/r_filtered); pydantic validates it as declared
    rows: list[MariaDBExplainRow] = Field(default_factory=list)  # type: ignore[assignment]

    @classmethod
    def _row_class(cls) -> type[MySQLExplainRow]:
        return MariaDBExplainRow


class MariaDBExplainJsonResult(MariaDBExplainResult):
    """MariaDB's ``EXPLAIN FORMAT=JSON``: ``json_data`` is the document, ``tables`` its tables."""


class MariaDBExplainAnalyzeResult(MariaDBExplainResult):
    """MariaDB's ``ANALYZE`` (tabular, ``rows`` with ``r_rows``/``r_filtered``) or
    ``ANALYZE FORMAT=JSON`` (``tables`` with the ``r_*`` figures, ``json_data``)."""
