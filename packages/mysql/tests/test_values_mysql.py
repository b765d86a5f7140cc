"""Bad values, sync and async, against the real server (issue 7 items 3, 4, 8, 9): the
family's value contract run by the mysql-connector backends."""

import pytest
from family_contract.values import (
    AsyncValuesContract,
    SyncValuesContract,
)

from rhosocial.activerecord.backend.impl.mysql import driver


@pytest.fixture
def driver_module():
    return driver


class TestValues(SyncValuesContract):
    pass


class TestAsyncValues(AsyncValuesContract):
    pass
