"""Backend profiles: everything the generic providers need to know about one backend package.

A profile names the backend classes by dotted path (so nothing is imported before it is needed,
and worker processes can rebuild them), turns a server entry of the scenario file into config
keyword arguments, and carries its SQL family's DDL type map. Adding a backend to the harness
means adding a profile here, nothing else.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..schema import TypeMap


def load(dotted: str) -> Any:
    """Import ``package.module:Name``."""
    module, _, name = dotted.partition(":")
    return getattr(importlib.import_module(module), name)


@dataclass(frozen=True)
class BackendProfile:
    package: str  # directory under packages/, e.g. "postgres"
    family: str  # "postgres" | "mysql"
    sync_backend: str  # "module:Class"
    async_backend: str
    config_class: str
    # (server entry of the scenario file, database name) -> config keyword arguments
    config_kwargs: Callable[[Mapping[str, Any], str], dict[str, Any]]
    type_map: TypeMap
    # server entry -> human label of the cell, e.g. "MySQL driver against a MariaDB server"
    label: Callable[[Mapping[str, Any]], str]
    # statements run through the sync backend, connected to the server's own database, to
    # create the cell's database when it is missing ({name} is the quoted database name)
    database_exists_sql: str
    create_database_sql: str

    def import_name(self) -> str:
        return f"rhosocial.activerecord.backend.impl.{self.package}"


def get_profile(package: str) -> BackendProfile:
    """The profile of a package name (``postgres``, ``mysql``, ``mariadb``)."""
    if package == "postgres":
        from .postgres import PROFILE

        return PROFILE
    if package in ("mysql", "mariadb"):
        from .mysql_family import PROFILES

        return PROFILES[package]
    raise KeyError(f"no backend profile for package {package!r}")
