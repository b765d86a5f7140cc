"""The fault suite's fixtures: private servers (started once per session, stopped at its end),
a fresh proxy per test, raw admin connections that check what was stored, and the summary
line per package."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from typing import Any

import pytest
from faultlib.admin import Admin
from faultlib.proxy import Proxy
from faultlib.servers import REPO, MariaDBServer, PostgresServer, Server, ServerUnavailable
from faultlib.targets import MODES, PACKAGES, Package

_servers: dict[str, Server] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    if not config.option.xmlpath:
        config.option.xmlpath = str(REPO / "build" / "test-results" / "faults.xml")


def _server(family: str) -> Server:
    """Started on first use, so a run of only the postgres tests never starts MariaDB."""
    if family not in _servers:
        starter = PostgresServer if family == "postgres" else MariaDBServer
        try:
            _servers[family] = starter.start_new()
        except ServerUnavailable as exc:
            pytest.fail(f"private {family} server: {exc}", pytrace=False)
    return _servers[family]


def pytest_sessionfinish(session: pytest.Session) -> None:
    for server in _servers.values():
        server.stop()
    _servers.clear()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """``pkg`` is each package, ``mode`` sync and async, unless a test narrows them itself."""
    if "pkg" in metafunc.fixturenames and not _has_param(metafunc, "pkg"):
        metafunc.parametrize("pkg", list(PACKAGES), indirect=True)
    if "mode" in metafunc.fixturenames and not _has_param(metafunc, "mode"):
        metafunc.parametrize("mode", MODES)


def _has_param(metafunc: pytest.Metafunc, name: str) -> bool:
    return any(name in m.args[0] for m in metafunc.definition.iter_markers("parametrize"))


@pytest.fixture
def pkg(request: pytest.FixtureRequest) -> Package:
    return PACKAGES[request.param]


@pytest.fixture
def server(pkg: Package) -> Server:
    return _server(pkg.family)


@pytest.fixture
def proxy(server: Server) -> Iterator[Proxy]:
    with Proxy(server.port) as p:
        yield p


@pytest.fixture
def admin(server: Server) -> Iterator[Admin]:
    a = Admin(server)
    yield a
    a.close()


# -- the summary line ----------------------------------------------------------------------

_counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)


def _package_of(item: pytest.Item) -> str:
    callspec = getattr(item, "callspec", None)
    return str(callspec.params.get("pkg", "other")) if callspec else "other"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    package = _package_of(item)
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        if hasattr(report, "wasxfail"):
            kind = "xfailed" if report.skipped else "failed"  # strict xfail that passed: failed
        else:
            kind = report.outcome  # passed | failed | skipped
        _counts[package][kind] += 1
    elif report.when == "teardown" and report.failed:
        _counts[package]["error"] += 1


def pytest_terminal_summary(terminalreporter: Any) -> None:
    def line(label: str, c: collections.Counter[str]) -> str:
        return (
            f"{label}: {c['passed']} passed, {c['failed'] + c['error']} failed, "
            f"{c['skipped']} skipped, {c['xfailed']} xfailed"
        )

    total: collections.Counter[str] = collections.Counter()
    terminalreporter.section("fault suite")
    for package in [*PACKAGES, "other"]:
        if package in _counts:
            terminalreporter.write_line(line(f"faults[{package}]", _counts[package]))
            total.update(_counts[package])
    terminalreporter.write_line(line("faults", total))
