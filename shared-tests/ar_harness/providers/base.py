"""The machinery every provider shares, written once for sync and async.

Provider logic is written as *step generators*: a generator yields zero-argument callables for
every call that may do I/O (``Model.configure``, ``backend.execute``, ``record.save`` ...) and
receives each call's result back. ``drive_sync`` runs the steps directly; ``drive_async`` runs
them and awaits whatever is awaitable. So one body of logic serves both providers and the async
side awaits only the calls that are coroutines there.

Fixture sets (models + tables) are declared as data (``FixtureSet``) and turned into provider
methods by ``build_provider``, which gives the sync and the async provider the same methods.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rhosocial.activerecord.model import AsyncActiveRecord
from rhosocial.activerecord.testsuite.utils import select_fixture

from .. import schema
from ..scenarios import Cell, current_cell

Steps = Generator[Callable[[], Any], Any, Any]

_TESTSUITE = "rhosocial.activerecord.testsuite."
# Python-version variants of a fixture module, newest first; the testsuite picks among them
# with select_fixture, and so do we.
_VARIANTS = ("_py312", "_py311", "_py310", "")


def drive_sync(steps: Steps) -> Any:
    result = None
    try:
        while True:
            result = steps.send(result)()
    except StopIteration as done:
        return done.value


async def drive_async(steps: Steps) -> Any:
    result = None
    try:
        while True:
            result = steps.send(result)()
            if inspect.isawaitable(result):
                result = await result
    except StopIteration as done:
        return done.value


def fixture_class(ref: str) -> type:
    """``feature.basic.fixtures.models:User`` -> the class the testsuite would select.

    For modules with ``_py31x`` siblings the newest variant that imports on this Python wins
    (a variant using newer syntax fails to import and drops out); classes that exist only in
    the base module come from there.
    """
    module, _, name = ref.partition(":")
    candidates = []
    for suffix in _VARIANTS if module.endswith(".models") else ("",):
        try:
            mod = importlib.import_module(_TESTSUITE + module + suffix)
        except (ImportError, SyntaxError):
            continue
        if hasattr(mod, name):
            candidates.append(getattr(mod, name))
    if not candidates:
        raise ImportError(f"fixture class {ref} not found in the testsuite")
    return select_fixture(*candidates)


@dataclass(frozen=True)
class FixtureSet:
    """Models (sync ref, async ref) and the tables they need, from one schema set."""

    models: tuple[tuple[str, str], ...]
    table_set: str
    tables: tuple[str, ...]
    single: bool = False  # return the model itself instead of a tuple


def fixture_set(
    models: Sequence[tuple[str, str]], table_set: str, tables: Iterable[str], single: bool = False
) -> FixtureSet:
    return FixtureSet(tuple(models), table_set, tuple(tables), single)


class HarnessProvider:
    """State and steps shared by every provider of one cell, sync or async.

    A provider instance lives for one fixture: ``setup_*`` configures models (sharing one
    backend and connection) and recreates their tables; cleanup rolls back whatever is still
    open and disconnects. Tables are dropped at setup, not at cleanup, which halves
    the DDL and never races a connection a test left behind.
    """

    is_async = False

    def __init__(self) -> None:
        self.cell: Cell = current_cell()
        self._backends: list[Any] = []
        self._shared: Any = None  # the one backend all models of this provider use

    # --- scenarios ---------------------------------------------------------------------------
    def get_test_scenarios(self) -> list[str]:
        return [self.cell.scenario]

    def get_benchmark_scenarios(self) -> list[str]:
        return [self.cell.scenario]

    # --- classes --------------------------------------------------------------------------------
    def backend_class(self) -> type:
        return self.cell.async_backend_class() if self.is_async else self.cell.sync_backend_class()

    def model(self, refs: tuple[str, str]) -> type:
        cls = fixture_class(refs[1] if self.is_async else refs[0])
        if self.is_async and not issubclass(cls, AsyncActiveRecord):
            # e.g. relation's Employee/Department: the testsuite ships no async twin
            raise NotImplementedError(f"the testsuite has no async model for {refs[1]}")
        return cls

    def new_backend(self) -> Any:
        backend = self.backend_class()(connection_config=self.cell.make_config())
        self._backends.append(backend)
        return backend

    # --- DDL ----------------------------------------------------------------------------------
    def ddl(self, table_set: str, tables: Sequence[str]) -> list[str]:
        defs = schema.tables_of(table_set, *tables)
        type_map = self.cell.profile.type_map
        drops = [schema.render_drop(t, type_map) for t in reversed(defs)]
        return drops + [schema.render_create(t, type_map) for t in defs]

    def create_table_sql(self, table_name: str, table_sets: Sequence[str]) -> str:
        for table_set in table_sets:
            key = f"{table_set}.{table_name}"
            if key in schema.TABLES:
                return schema.render_create(schema.TABLES[key], self.cell.profile.type_map)
        raise KeyError(f"no fixture table {table_name!r} in sets {table_sets}")

    # --- steps ----------------------------------------------------------------------------------
    def install_steps(self, models: Sequence[type], table_set: str, tables: Sequence[str]) -> Steps:
        """Configure the models on one shared backend, then recreate the tables.

        All models of a provider share one backend (one connection), as the testsuite expects:
        its eager-loading tests count the queries of related models on the first model's
        backend. Each model still goes through the public ``configure()``; the backend it
        created is then swapped for the shared one and disconnected.
        """
        for model in models:
            yield lambda model=model: model.configure(self.cell.make_config(), self.backend_class())
            if self._shared is None:
                self._shared = model.__backend__
                self._backends.append(self._shared)
            else:
                own, model.__backend__ = model.__backend__, self._shared
                yield own.disconnect
        backend = self._shared
        for sql in self.ddl(table_set, tables):
            yield lambda sql=sql: backend.execute(sql)

    def setup_steps(self, spec: FixtureSet) -> Steps:
        models = [self.model(refs) for refs in spec.models]
        yield from self.install_steps(models, spec.table_set, spec.tables)
        return models[0] if spec.single else tuple(models)

    def release_steps(self, scenario_name: str | None = None) -> Steps:
        """Roll back what a test left open and disconnect every backend of this provider."""
        backends, self._backends, self._shared = self._backends, [], None
        for backend in backends:
            if getattr(backend, "_connection", None) is None:
                continue
            if backend.in_transaction:
                yield backend.rollback_transaction
            yield backend.disconnect

    def dialect_steps(self, scenario_name: str | None = None) -> Steps:
        """A dialect adapted to the cell's server (version set), for basic/ddl."""
        backend = self.new_backend()
        yield backend.introspect_and_adapt
        yield backend.disconnect
        return backend.dialect


def _spec_method(spec: FixtureSet, is_async: bool) -> Callable:
    if is_async:

        async def method(self, scenario_name=None):
            return await drive_async(self.setup_steps(spec))
    else:

        def method(self, scenario_name=None):
            return drive_sync(self.setup_steps(spec))

    return method


def _drive(is_async: bool, steps_method: str) -> Callable:
    """Turn ``<x>_steps(self, *args)`` into a sync or async public method."""
    if is_async:

        async def method(self, *args, **kwargs):
            return await drive_async(getattr(self, steps_method)(*args, **kwargs))
    else:

        def method(self, *args, **kwargs):
            return drive_sync(getattr(self, steps_method)(*args, **kwargs))

    return method


def build_provider(
    name: str,
    interface: type,
    specs: dict[str, FixtureSet],
    *,
    is_async: bool,
    bases: tuple[type, ...] = (HarnessProvider,),
    driven: dict[str, str] | None = None,
) -> type:
    """A provider class: ``specs`` become ``setup_*`` methods, ``driven`` maps public method
    names to step generators; both come out sync or async from the same definitions."""
    namespace: dict[str, Any] = {"is_async": is_async, "__module__": bases[0].__module__}
    for method_name, spec in specs.items():
        namespace[method_name] = _spec_method(spec, is_async)
    for method_name, steps_method in (driven or {}).items():
        namespace[method_name] = _drive(is_async, steps_method)
    namespace.setdefault("cleanup_after_test", _drive(is_async, "release_steps"))
    return type(name, (*bases, interface), namespace)
