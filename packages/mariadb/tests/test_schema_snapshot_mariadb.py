"""The core's MigrationRunner snapshots and schema diff, run by the mariadb backends."""

from rhosocial.activerecord.backend.impl.mysql.introspection.contract import SchemaSnapshotContract


class TestSchemaSnapshot(SchemaSnapshotContract):
    pass
