"""pytest fixtures for family backend tests; a package conftest star-imports them and defines
``backend_classes`` as ``(SyncBackend, AsyncBackend)``."""

from __future__ import annotations

import pytest

from .servers import config_kwargs, matrix_server, tls_server


@pytest.fixture(scope="session")
def server():
    return matrix_server()


@pytest.fixture(scope="session")
def tls():
    found = tls_server()
    if found is None:
        pytest.skip("no TLS server in the scenario file (scripts/servers up starts one)")
    return found


@pytest.fixture
def server_kwargs(server):
    return lambda **overrides: config_kwargs(server, **overrides)


@pytest.fixture
def backend_factory(backend_classes, server_kwargs):
    made = []

    def make(**overrides):
        backend = backend_classes[0](**server_kwargs(**overrides))
        backend.connect()
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.disconnect()


@pytest.fixture
def async_backend_factory(backend_classes, server_kwargs):
    async def make(**overrides):
        backend = backend_classes[1](**server_kwargs(**overrides))
        await backend.connect()
        return backend

    return make
