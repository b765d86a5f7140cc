"""The family introspection contract (fixture schema, status, snapshot/diff), run by the mysql backends."""

from rhosocial.activerecord.backend.impl.mysql.introspection.contract import IntrospectionContract


class TestIntrospection(IntrospectionContract):
    pass
