"""MariaDB package tests: unit tests need nothing; integration tests use the family server of
the workspace scenario file (build/servers/scenarios.json) or MariaDB on 127.0.0.1:3306."""

import inspect

import pytest

from rhosocial.activerecord.backend.impl.mariadb import AsyncMariaDBBackend, MariaDBBackend
from rhosocial.activerecord.backend.impl.mysql.testing.fixtures import *  # noqa: F403


@pytest.fixture(scope="session")
def backend_classes():
    return MariaDBBackend, AsyncMariaDBBackend


def pytest_collection_modifyitems(items):
    for item in items:
        if inspect.iscoroutinefunction(getattr(item, "function", None)):
            item.add_marker(pytest.mark.asyncio)
