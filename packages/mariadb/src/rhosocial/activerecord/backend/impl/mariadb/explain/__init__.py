"""Typed EXPLAIN results of a MariaDB server (family code of rhosocial-activerecord-mysql).

``backend.explain()`` returns ``MariaDBExplainResult`` (tabular EXPLAIN),
``MariaDBExplainJsonResult`` (``EXPLAIN FORMAT=JSON``) or ``MariaDBExplainAnalyzeResult``
(``ANALYZE`` / ``ANALYZE FORMAT=JSON``).
"""

from rhosocial.activerecord.backend.impl.mysql.explain import (
    MariaDBExplainAnalyzeResult,
    MariaDBExplainJsonResult,
    MariaDBExplainResult,
    MariaDBExplainRow,
    MySQLPlanTable,
)

__all__ = [
    "MariaDBExplainAnalyzeResult",
    "MariaDBExplainJsonResult",
    "MariaDBExplainResult",
    "MariaDBExplainRow",
    "MySQLPlanTable",
]
