"""Info objects for what the core's introspection types have no class for (PostgreSQL).

The core's dataclass style (plain fields, an ``extra`` dict); ``ExtensionInfo`` is the core's own
(its status types have one).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ConstraintInfo:
    """A check, unique or exclusion constraint (``kind``: ``CHECK``, ``UNIQUE``, ``EXCLUDE``)."""

    name: str
    table_name: str
    kind: str
    schema: str | None = None
    columns: list[str] = field(default_factory=list)
    definition: str | None = None
    deferrable: bool = False
    deferred: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SequenceInfo:
    name: str
    schema: str | None = None
    data_type: str = "bigint"
    start_value: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache_size: int | None = None
    cycle: bool = False
    #: ``table.column`` for a sequence owned by a serial or identity column
    owned_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class EnumTypeInfo:
    name: str
    schema: str | None = None
    labels: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class DomainInfo:
    name: str
    base_type: str
    schema: str | None = None
    not_null: bool = False
    default_value: str | None = None
    collation: str | None = None
    checks: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class PartitionInfo:
    """One partition of a partitioned table (``bound``: ``FOR VALUES ...`` or ``DEFAULT``)."""

    name: str
    table_name: str
    schema: str | None = None
    bound: str | None = None
    is_partitioned: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
