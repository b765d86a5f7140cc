from __future__ import annotations

import pytest

from rhosocial.activerecord.backend.config import ConnectionConfig
from rhosocial.activerecord.backend.impl.common.env import postgres_environment
from rhosocial.activerecord.backend.impl.common.settings import config_kwargs
from rhosocial.activerecord.backend.impl.common.url import parse_url


def test_url_settings_build_a_core_config():
    kwargs = config_kwargs(parse_url("postgresql://app:pw@db:5433/shop"), ConnectionConfig)
    config = ConnectionConfig(**kwargs)
    assert (config.host, config.port, config.username, config.password, config.database) == (
        "db",
        5433,
        "app",
        "pw",
        "shop",
    )


def test_unknown_settings_are_named():
    settings = postgres_environment({"PGHOST": "db", "PGAPPNAME": "x", "PGSERVICE": "s"})
    with pytest.raises(ValueError) as info:
        config_kwargs(settings, ConnectionConfig, source="the environment")
    assert str(info.value) == (
        "ConnectionConfig has no setting for application_name, service (given by the environment)"
    )


def test_renames():
    got = config_kwargs({"database": "d"}, ConnectionConfig, renames={"database": "database"})
    assert got == {"database": "d"}
    with pytest.raises(TypeError):
        config_kwargs({}, int)
