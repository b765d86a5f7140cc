"""Server flavour and version -> feature flags for the MySQL/MariaDB family.

MySQL and MariaDB speak one SQL family but diverged after MySQL 5.7 / MariaDB 10.0: the same
feature arrives in different versions (CTEs: MySQL 8.0, MariaDB 10.2) or only on one side
(RETURNING and sequences only on MariaDB, LATERAL only on MySQL). Every version gate of the
family is one line of the table in ``ServerFeatures`` (``cte = since(mysql=..., mariadb=...)``),
so the dialect and the backends ask one object instead of comparing version tuples in many
places. The dialect's ``supports_*`` flags are one line each too (``Flag``): a gate of the table
or a constant, called as the method the core's protocols declare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, overload

MYSQL = "mysql"
MARIADB = "mariadb"

Version = tuple[int, int, int]

_VERSION_RE = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")


def parse_server_version(text: str) -> tuple[str, Version]:
    """Split a server's ``VERSION()`` string into (flavour, (major, minor, patch)).

    MariaDB reports e.g. ``10.11.19-MariaDB-0+deb12u1`` (older releases behind a replication
    proxy even prefix ``5.5.5-``); MySQL reports ``8.0.36`` or ``8.4.0-commercial``.
    """
    flavour = MARIADB if "mariadb" in text.lower() else MYSQL
    body = text
    if flavour == MARIADB and body.startswith("5.5.5-"):
        body = body[len("5.5.5-") :]
    match = _VERSION_RE.search(body)
    if not match:
        raise ValueError(f"unrecognised server version string: {text!r}")
    major, minor, patch = match.group(1), match.group(2), match.group(3) or "0"
    return flavour, (int(major), int(minor), int(patch))


@dataclass(frozen=True)
class Since:
    """One row of the feature table: the first release of each flavour with the feature (None:
    that flavour never has it). Read on a ``ServerFeatures`` it is that server's ``bool``."""

    mysql: Version | None = None
    mariadb: Version | None = None

    def test(self, flavour: str, version: Version) -> bool:
        needed = self.mariadb if flavour == MARIADB else self.mysql
        return needed is not None and version >= needed

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Since: ...
    @overload
    def __get__(self, obj: ServerFeatures, owner: type | None = None) -> bool: ...
    def __get__(self, obj: ServerFeatures | None, owner: type | None = None) -> Since | bool:
        if obj is None:
            return self
        return self.test(obj.flavour, obj.version)


def since(*, mysql: Version | None = None, mariadb: Version | None = None) -> Since:
    """``since(mysql=(8, 0, 1), mariadb=(10, 2, 1))``: a row of the feature table."""
    return Since(mysql, mariadb)


@dataclass(frozen=True)
class ServerFeatures:
    """What one server (flavour + version) can do: the family's feature table.

    Each gate is one line; read on an instance it is a ``bool`` for that server.
    """

    flavour: str = MYSQL
    version: Version = (8, 0, 0)

    @classmethod
    def from_version_string(cls, text: str) -> ServerFeatures:
        flavour, version = parse_server_version(text)
        return cls(flavour, version)

    @property
    def is_mariadb(self) -> bool:
        return self.flavour == MARIADB

    # --- query features ---------------------------------------------------------------------
    cte = since(mysql=(8, 0, 1), mariadb=(10, 2, 1))
    window_functions = since(mysql=(8, 0, 2), mariadb=(10, 2, 0))
    lateral = since(mysql=(8, 0, 14))
    intersect_except = since(mysql=(8, 0, 31), mariadb=(10, 3, 0))
    json_functions = since(mysql=(5, 7, 8), mariadb=(10, 2, 3))
    #: ``col->'$.a'`` / ``col->>'$.a'``: MySQL only.
    json_arrow_operators = since(mysql=(5, 7, 13))
    json_table = since(mysql=(8, 0, 4), mariadb=(10, 6, 0))
    #: GROUPING() next to WITH ROLLUP (MySQL 8.0.1+); MariaDB has WITH ROLLUP only.
    rollup_grouping_function = since(mysql=(8, 0, 1))
    skip_locked = since(mysql=(8, 0, 1), mariadb=(10, 6, 0))
    nowait = since(mysql=(8, 0, 1), mariadb=(10, 3, 0))
    #: ``FOR UPDATE OF tbl_name`` (MySQL 8.0.1, table names or aliases); MariaDB has no OF.
    for_update_of = since(mysql=(8, 0, 1))
    #: ``EXPLAIN ANALYZE`` (MySQL 8.0.18); MariaDB has the separate ``ANALYZE`` statement.
    explain_analyze = since(mysql=(8, 0, 18))
    #: ``INSERT ... AS new ON DUPLICATE KEY UPDATE c = new.c`` (MySQL 8.0.19; VALUES() is
    #: deprecated there). MariaDB keeps ``VALUES(c)``.
    upsert_row_alias = since(mysql=(8, 0, 19))

    # --- DML --------------------------------------------------------------------------------
    #: INSERT/REPLACE ... RETURNING: MariaDB 10.5+; MySQL never.
    returning_insert = since(mariadb=(10, 5, 0))
    returning_delete = since(mariadb=(10, 0, 5))
    #: No released MySQL or MariaDB supports UPDATE ... RETURNING.
    returning_update = since()

    # --- types and DDL ----------------------------------------------------------------------
    #: Enforced CHECK constraints (older servers parse and ignore them).
    check_constraints = since(mysql=(8, 0, 16), mariadb=(10, 2, 1))
    drop_constraint = since(mysql=(8, 0, 19), mariadb=(10, 2, 1))
    #: ``DROP CONSTRAINT IF EXISTS``: MariaDB only.
    drop_constraint_if_exists = since(mariadb=(10, 2, 1))
    add_column_if_not_exists = since(mariadb=(10, 0, 2))
    native_uuid = since(mariadb=(10, 7, 0))
    inet6 = since(mariadb=(10, 5, 0))
    inet4 = since(mariadb=(10, 10, 0))
    sequences = since(mariadb=(10, 3, 0))
    system_versioned_tables = since(mariadb=(10, 3, 4))
    #: DATETIME(6)/TIME(6): MySQL 5.6.4+, MariaDB 5.3+.
    fractional_seconds = since(mysql=(5, 6, 4), mariadb=(5, 3, 0))

    @property
    def json_is_text(self) -> bool:
        """MariaDB's JSON is an alias of LONGTEXT with a JSON_VALID check: values come back str."""
        return self.is_mariadb

    # --- session ----------------------------------------------------------------------------
    @property
    def statement_timeout_variable(self) -> str:
        """Session variable bounding a statement's run time, and its unit.

        MySQL's ``max_execution_time`` (ms) only applies to SELECT; MariaDB's
        ``max_statement_time`` (seconds, float) applies to every statement.
        """
        return "max_statement_time" if self.is_mariadb else "max_execution_time"

    def describe(self) -> dict[str, bool]:
        """All boolean flags by name (CLI ``info``, diagnostics)."""
        flags = {n: g.test(self.flavour, self.version) for n, g in _gates().items()}
        flags["is_mariadb"], flags["json_is_text"] = self.is_mariadb, self.json_is_text
        return dict(sorted(flags.items()))


def _gates() -> dict[str, Since]:
    return {n: v for n, v in vars(ServerFeatures).items() if isinstance(v, Since)}


class _HasFeatures(Protocol):
    _features: ServerFeatures


def _constant(value: bool) -> Callable[[], bool]:
    return value.__bool__  # a C-level bound method: calling it costs no Python frame


_TRUE, _FALSE = _constant(True), _constant(False)


class Flag:
    """A dialect's ``supports_*`` flag in one line: ``supports_basic_cte = Flag(ServerFeatures.cte)``
    (a gate of the table, for the server the dialect describes) or ``ALWAYS`` / ``NEVER``.

    Read on a dialect it is a zero-argument callable, so ``dialect.supports_basic_cte()`` works
    as the core's mixins and protocols declare it.
    """

    __slots__ = ("gate", "value")

    def __init__(self, gate: Since | bool) -> None:
        self.gate = gate if isinstance(gate, Since) else None
        self.value = _TRUE if gate is True else _FALSE

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Flag: ...
    @overload
    def __get__(self, obj: _HasFeatures, owner: type | None = None) -> Callable[[], bool]: ...
    def __get__(
        self, obj: _HasFeatures | None, owner: type | None = None
    ) -> Flag | Callable[[], bool]:
        if obj is None:
            return self
        gate = self.gate
        if gate is None:
            return self.value
        features = obj._features
        return _TRUE if gate.test(features.flavour, features.version) else _FALSE


ALWAYS = Flag(True)
NEVER = Flag(False)
