"""MySQL package tests. Unit tests need no server. Integration tests run against the family
server of the workspace scenario file; locally that is MariaDB 10.11, so they exercise the
*MySQL driver against a MariaDB server* (flavour-specific checks follow the detected server)."""

import inspect

import pytest
from family_contract.fixtures import *  # noqa: F403

from rhosocial.activerecord.backend.impl.mysql import AsyncMySQLBackend, MySQLBackend


@pytest.fixture(scope="session")
def backend_classes():
    return MySQLBackend, AsyncMySQLBackend


def pytest_collection_modifyitems(items):
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "function", None)):
            item.add_marker(pytest.mark.asyncio)
