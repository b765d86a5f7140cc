"""MariaDB dialect: the family dialect, answering for MariaDB when no server was seen yet.

Everything MariaDB has and MySQL lacks (RETURNING on INSERT/DELETE, sequences, INTERSECT/EXCEPT
since 10.3, native UUID/INET types) is a flavour+version flag in the family's ``features``
module, so a MySQL backend connected to a MariaDB server gets the same answers.
"""

from __future__ import annotations

from rhosocial.activerecord.backend.impl.mysql.dialect import MySQLDialect
from rhosocial.activerecord.backend.impl.mysql.features import MARIADB


class MariaDBDialect(MySQLDialect):
    default_flavour = MARIADB
