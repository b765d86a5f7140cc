"""Typed PostgreSQL EXPLAIN results.

``FORMAT JSON`` output is parsed into a tree of ``PostgresPlanNode``; ``TEXT`` (the server's
default), ``YAML`` and ``XML`` output is kept line by line in ``rows`` (``PostgresExplainPlanLine``,
the official backend's name), so code written for the official distribution keeps working.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import BaseModel, Field

from rhosocial.activerecord.backend.explain import BaseExplainResult

IndexUsage = Literal["full_scan", "index_with_lookup", "covering_index", "unknown"]

# JSON key -> node field; every other key of a node lands in ``PostgresPlanNode.extra``.
_NODE_KEYS: dict[str, str] = {
    "Node Type": "node_type",
    "Parent Relationship": "parent_relationship",
    "Relation Name": "relation_name",
    "Schema": "schema_name",
    "Alias": "alias",
    "Index Name": "index_name",
    "Join Type": "join_type",
    "Strategy": "strategy",
    "Startup Cost": "startup_cost",
    "Total Cost": "total_cost",
    "Plan Rows": "plan_rows",
    "Plan Width": "plan_width",
    "Actual Startup Time": "actual_startup_time",
    "Actual Total Time": "actual_total_time",
    "Actual Rows": "actual_rows",
    "Actual Loops": "actual_loops",
    "Filter": "filter",
    "Index Cond": "index_cond",
    "Rows Removed by Filter": "rows_removed_by_filter",
    "Output": "output",
    "Shared Hit Blocks": "shared_hit_blocks",
    "Shared Read Blocks": "shared_read_blocks",
    "Shared Dirtied Blocks": "shared_dirtied_blocks",
    "Shared Written Blocks": "shared_written_blocks",
    "Local Hit Blocks": "local_hit_blocks",
    "Local Read Blocks": "local_read_blocks",
    "Temp Read Blocks": "temp_read_blocks",
    "Temp Written Blocks": "temp_written_blocks",
}


class PostgresExplainPlanLine(BaseModel):
    """One line of ``TEXT`` (or ``YAML``/``XML``) EXPLAIN output."""

    line: str


class PostgresPlanNode(BaseModel):
    """One node of a ``FORMAT JSON`` plan.

    Costs are the planner's estimates in its cost units; ``actual_*`` (ANALYZE only) are times in
    milliseconds per loop and rows per loop, as PostgreSQL reports them. ``actual_rows`` is a
    float: PostgreSQL 18 reports fractional averages. Block counters are filled with BUFFERS.
    """

    node_type: str
    parent_relationship: str | None = None
    relation_name: str | None = None
    schema_name: str | None = None
    alias: str | None = None
    index_name: str | None = None
    join_type: str | None = None
    strategy: str | None = None
    startup_cost: float | None = None
    total_cost: float | None = None
    plan_rows: float | None = None
    plan_width: int | None = None
    actual_startup_time: float | None = None
    actual_total_time: float | None = None
    actual_rows: float | None = None
    actual_loops: float | None = None
    filter: str | None = None
    index_cond: str | None = None
    rows_removed_by_filter: float | None = None
    output: list[str] | None = None
    shared_hit_blocks: int | None = None
    shared_read_blocks: int | None = None
    shared_dirtied_blocks: int | None = None
    shared_written_blocks: int | None = None
    local_hit_blocks: int | None = None
    local_read_blocks: int | None = None
    temp_read_blocks: int | None = None
    temp_written_blocks: int | None = None
    #: Every other key of the node, as the server sent it (e.g. "Hash Cond", "Sort Key").
    extra: dict[str, Any] = Field(default_factory=dict)
    plans: list[PostgresPlanNode] = Field(default_factory=list)

    @classmethod
    def from_json(cls, node: Mapping[str, Any]) -> PostgresPlanNode:
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in node.items():
            if key == "Plans":
                continue
            name = _NODE_KEYS.get(key)
            if name is None:
                extra[key] = value
            else:
                values[name] = value
        values["extra"] = extra
        values["plans"] = [cls.from_json(child) for child in node.get("Plans", ())]
        return cls(**values)

    def walk(self) -> Iterator[PostgresPlanNode]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.plans:
            yield from child.walk()


def _index_usage(node_types: list[str]) -> IndexUsage:
    if not node_types:
        return "unknown"
    if any(t.startswith("Index Only Scan") for t in node_types):
        return "covering_index"
    if any(t.startswith(("Index Scan", "Bitmap Index Scan")) for t in node_types):
        return "index_with_lookup"
    if any(t.startswith(("Seq Scan", "Parallel Seq Scan")) for t in node_types):
        return "full_scan"
    return "unknown"


class PostgresExplainResult(BaseExplainResult):
    """The result of ``backend.explain()`` on PostgreSQL.

    Attributes:
        format: the output format that was asked for (``TEXT`` when none was).
        analyze: True when the statement was executed (and rolled back).
        rows: the output lines for TEXT, YAML and XML; empty for JSON.
        plan: the root plan node for JSON; None otherwise.
        planning_time / execution_time: milliseconds (JSON with ANALYZE, or SUMMARY).
        json_data: the server's whole JSON document (triggers, settings, planning buffers ...).
    """

    format: str = "TEXT"
    analyze: bool = False
    rows: list[PostgresExplainPlanLine] = Field(default_factory=list)
    plan: PostgresPlanNode | None = None
    planning_time: float | None = None
    execution_time: float | None = None
    json_data: dict[str, Any] | None = None

    @classmethod
    def from_rows(
        cls, raw_rows: list[dict[str, Any]], sql: str, duration: float, fmt: str, analyze: bool
    ) -> PostgresExplainResult:
        values = [next(iter(row.values())) for row in raw_rows if row]
        if fmt != "JSON":
            lines = [line for value in values for line in str(value).splitlines()]
            return cls(
                raw_rows=raw_rows,
                sql=sql,
                duration=duration,
                format=fmt,
                analyze=analyze,
                rows=[PostgresExplainPlanLine(line=line) for line in lines],
            )
        document = values[0] if values else None
        if isinstance(document, str):  # json text when no json loader is registered
            document = json.loads(document)
        if isinstance(document, list):
            document = document[0] if document else None
        if not isinstance(document, dict):
            raise ValueError(f"unexpected EXPLAIN (FORMAT JSON) output: {document!r:.200}")
        return cls(
            raw_rows=raw_rows,
            sql=sql,
            duration=duration,
            format=fmt,
            analyze=analyze,
            plan=PostgresPlanNode.from_json(document["Plan"]),
            planning_time=document.get("Planning Time"),
            execution_time=document.get("Execution Time"),
            json_data=document,
        )

    def nodes(self) -> list[PostgresPlanNode]:
        """Every plan node, depth first (empty unless the format was JSON)."""
        return list(self.plan.walk()) if self.plan is not None else []

    def analyze_index_usage(self) -> IndexUsage:
        """How the plan reads its tables: from the JSON nodes, else from the text lines."""
        if self.plan is not None:
            return _index_usage([node.node_type for node in self.plan.walk()])
        found = []
        for row in self.rows:
            text = row.line.strip().lstrip("->").strip()
            for kind in ("Index Only Scan", "Bitmap Index Scan", "Index Scan", "Seq Scan"):
                if text.startswith(kind) or f" {kind}" in text:
                    found.append(kind)
        return _index_usage(found)

    @property
    def is_full_scan(self) -> bool:
        return self.analyze_index_usage() == "full_scan"

    @property
    def is_index_used(self) -> bool:
        return self.analyze_index_usage() in ("index_with_lookup", "covering_index")

    @property
    def is_covering_index(self) -> bool:
        return self.analyze_index_usage() == "covering_index"
