"""Connection settings of the MariaDB backend: the family settings, nothing added.

Kept as its own class so configs say which backend they are for, and so MariaDB-only settings
have a home without touching the MySQL package.
"""

from __future__ import annotations

from dataclasses import dataclass

from rhosocial.activerecord.backend.impl.mysql.config import MySQLFamilyConnectionConfig


@dataclass
class MariaDBConnectionConfig(MySQLFamilyConnectionConfig):
    """Settings for the PyMySQL (sync) / aiomysql (async) MariaDB backend."""
