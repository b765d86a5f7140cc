"""Typed EXPLAIN for PostgreSQL: ``backend.explain(expression, options)`` (sync and async).

from rhosocial.activerecord.backend.impl.postgres.explain import (
    PostgresExplainResult, PostgresPlanNode, PostgresExplainPlanLine,
)
"""

from .backend import AsyncPostgresExplainMixin, PostgresExplainMixin, build_explain_sql
from .types import IndexUsage, PostgresExplainPlanLine, PostgresExplainResult, PostgresPlanNode

__all__ = [
    "AsyncPostgresExplainMixin",
    "IndexUsage",
    "PostgresExplainMixin",
    "PostgresExplainPlanLine",
    "PostgresExplainResult",
    "PostgresPlanNode",
    "build_explain_sql",
]
