"""Server flavour and version -> feature flags for the MySQL/MariaDB family.

MySQL and MariaDB speak one SQL family but diverged after MySQL 5.7 / MariaDB 10.0: the same
feature arrives in different versions (CTEs: MySQL 8.0, MariaDB 10.2) or only on one side
(RETURNING and sequences only on MariaDB, LATERAL only on MySQL). Every version gate of the
family lives here, once, so the dialect and the backends ask one object instead of comparing
version tuples in many places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
class ServerFeatures:
    """What one server (flavour + version) can do; computed once per connection."""

    flavour: str = MYSQL
    version: Version = (8, 0, 0)

    @classmethod
    def from_version_string(cls, text: str) -> ServerFeatures:
        flavour, version = parse_server_version(text)
        return cls(flavour, version)

    @property
    def is_mariadb(self) -> bool:
        return self.flavour == MARIADB

    def _at_least(self, mysql: Version | None, mariadb: Version | None) -> bool:
        """True when this server is at least the given version of its flavour (None = never)."""
        needed = mariadb if self.is_mariadb else mysql
        return needed is not None and self.version >= needed

    # --- query features ---------------------------------------------------------------------
    @property
    def cte(self) -> bool:
        return self._at_least((8, 0, 1), (10, 2, 1))

    @property
    def window_functions(self) -> bool:
        return self._at_least((8, 0, 2), (10, 2, 0))

    @property
    def lateral(self) -> bool:
        return self._at_least((8, 0, 14), None)

    @property
    def intersect_except(self) -> bool:
        return self._at_least((8, 0, 31), (10, 3, 0))

    @property
    def json_functions(self) -> bool:
        return self._at_least((5, 7, 8), (10, 2, 3))

    @property
    def json_arrow_operators(self) -> bool:
        """``col->'$.a'`` / ``col->>'$.a'``: MySQL only."""
        return self._at_least((5, 7, 13), None)

    @property
    def json_is_text(self) -> bool:
        """MariaDB's JSON is an alias of LONGTEXT with a JSON_VALID check: values come back str."""
        return self.is_mariadb

    @property
    def json_table(self) -> bool:
        return self._at_least((8, 0, 4), (10, 6, 0))

    @property
    def rollup_grouping_function(self) -> bool:
        """GROUPING() next to WITH ROLLUP (MySQL 8.0.1+); MariaDB has WITH ROLLUP only."""
        return self._at_least((8, 0, 1), None)

    @property
    def skip_locked(self) -> bool:
        return self._at_least((8, 0, 1), (10, 6, 0))

    @property
    def nowait(self) -> bool:
        return self._at_least((8, 0, 1), (10, 3, 0))

    @property
    def for_update_of(self) -> bool:
        """``FOR UPDATE OF tbl_name`` (MySQL 8.0.1, table names or aliases); MariaDB has no OF."""
        return self._at_least((8, 0, 1), None)

    @property
    def explain_analyze(self) -> bool:
        """``EXPLAIN ANALYZE`` (MySQL 8.0.18); MariaDB has the separate ``ANALYZE`` statement."""
        return self._at_least((8, 0, 18), None)

    @property
    def upsert_row_alias(self) -> bool:
        """``INSERT ... AS new ON DUPLICATE KEY UPDATE c = new.c`` (MySQL 8.0.19; VALUES() is
        deprecated there). MariaDB keeps ``VALUES(c)``."""
        return self._at_least((8, 0, 19), None)

    # --- DML --------------------------------------------------------------------------------
    @property
    def returning_insert(self) -> bool:
        """INSERT/REPLACE ... RETURNING: MariaDB 10.5+; MySQL never."""
        return self._at_least(None, (10, 5, 0))

    @property
    def returning_delete(self) -> bool:
        return self._at_least(None, (10, 0, 5))

    @property
    def returning_update(self) -> bool:
        """No released MySQL or MariaDB supports UPDATE ... RETURNING."""
        return False

    # --- types and DDL ----------------------------------------------------------------------
    @property
    def check_constraints(self) -> bool:
        """Enforced CHECK constraints (older servers parse and ignore them)."""
        return self._at_least((8, 0, 16), (10, 2, 1))

    @property
    def drop_constraint(self) -> bool:
        return self._at_least((8, 0, 19), (10, 2, 1))

    @property
    def add_column_if_not_exists(self) -> bool:
        return self._at_least(None, (10, 0, 2))

    @property
    def native_uuid(self) -> bool:
        return self._at_least(None, (10, 7, 0))

    @property
    def inet6(self) -> bool:
        return self._at_least(None, (10, 5, 0))

    @property
    def inet4(self) -> bool:
        return self._at_least(None, (10, 10, 0))

    @property
    def sequences(self) -> bool:
        return self._at_least(None, (10, 3, 0))

    @property
    def system_versioned_tables(self) -> bool:
        return self._at_least(None, (10, 3, 4))

    @property
    def fractional_seconds(self) -> bool:
        """DATETIME(6)/TIME(6): MySQL 5.6.4+, MariaDB 5.3+."""
        return self._at_least((5, 6, 4), (5, 3, 0))

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
        names = [n for n, v in vars(type(self)).items() if isinstance(v, property)]
        return {n: getattr(self, n) for n in sorted(names) if isinstance(getattr(self, n), bool)}
