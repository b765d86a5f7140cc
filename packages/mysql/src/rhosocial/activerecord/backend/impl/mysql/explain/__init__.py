"""Typed EXPLAIN for the MySQL/MariaDB family: ``backend.explain(expression, options)``.

from rhosocial.activerecord.backend.impl.mysql.explain import (
    MySQLExplainResult, MySQLExplainRow, MySQLPlanTable, MySQLTreeNode,
)
"""

from .backend import AsyncFamilyExplainMixin, FamilyExplainMixin, build_explain_sql
from .types import (
    IndexUsage,
    MariaDBExplainAnalyzeResult,
    MariaDBExplainJsonResult,
    MariaDBExplainResult,
    MariaDBExplainRow,
    MySQLExplainResult,
    MySQLExplainRow,
    MySQLPlanTable,
    MySQLTreeNode,
    parse_tree,
)

__all__ = [
    "AsyncFamilyExplainMixin",
    "FamilyExplainMixin",
    "IndexUsage",
    "MariaDBExplainAnalyzeResult",
    "MariaDBExplainJsonResult",
    "MariaDBExplainResult",
    "MariaDBExplainRow",
    "MySQLExplainResult",
    "MySQLExplainRow",
    "MySQLPlanTable",
    "MySQLTreeNode",
    "build_explain_sql",
    "parse_tree",
]
