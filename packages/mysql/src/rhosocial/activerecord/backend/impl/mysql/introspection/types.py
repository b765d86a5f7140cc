"""Info objects for what the core's introspection types have no class for (MySQL family)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ConstraintInfo:
    """A check or unique constraint (``kind``: ``CHECK`` or ``UNIQUE``)."""

    name: str
    table_name: str
    kind: str
    schema: str | None = None
    columns: list[str] = field(default_factory=list)
    definition: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PartitionInfo:
    """One partition (or subpartition) of a partitioned table."""

    name: str
    table_name: str
    schema: str | None = None
    method: str | None = None
    expression: str | None = None
    #: the ``VALUES LESS THAN`` / ``VALUES IN`` text, None for HASH/KEY
    description: str | None = None
    position: int | None = None
    subpartition: str | None = None
    row_count: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SequenceInfo:
    """A MariaDB sequence (MySQL has none)."""

    name: str
    schema: str | None = None
    comment: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
