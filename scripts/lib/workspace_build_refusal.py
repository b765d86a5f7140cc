"""Hatch build hook of the repository root: the root is a workspace, not a distribution.

``hatch build`` and ``pip install .`` at the root run this hook (root pyproject.toml,
``[tool.hatch.build.hooks.custom]``) and stop with one message saying what to build instead;
before it, hatch showed a traceback and pip installed an empty ``UNKNOWN-0.0.0``.
"""

from __future__ import annotations

from typing import Any

from hatchling.builders.config import BuilderConfig
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MESSAGE = (
    "This repository root is the workspace of four distributions, not a package: nothing here "
    "can be built or installed. Build or install one of packages/postgres, packages/mysql, "
    "packages/mariadb or packages/common instead, for example `pip install ./packages/postgres` "
    "or `cd packages/postgres && hatch build`."
)


class CustomBuildHook(BuildHookInterface[BuilderConfig]):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        raise SystemExit(MESSAGE)
