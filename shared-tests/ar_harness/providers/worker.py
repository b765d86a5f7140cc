"""The testsuite's worker protocol (``WorkerTestProtocol``): how a spawned process reconnects.

Pure data, no I/O: the worker process imports the backend and config classes by name and
rebuilds the config from plain keyword arguments, so the same dict works for any profile.
"""

from __future__ import annotations

from typing import Any

from .base import HarnessProvider


class WorkerProtocolMixin(HarnessProvider):
    #: schema sets searched, in order, for get_worker_schema_sql
    worker_table_sets: tuple = ("basic",)

    def get_worker_connection_params(
        self, scenario_name: str, fixture_type: str | None = None
    ) -> dict[str, Any]:
        profile = self.cell.profile
        # fixture types named async_* run the async backend inside the worker
        dotted = (
            profile.async_backend
            if (fixture_type or "").startswith("async")
            else profile.sync_backend
        )
        backend_module, _, backend_name = dotted.partition(":")
        config_module, _, config_name = profile.config_class.partition(":")
        return {
            "backend_module": backend_module,
            "backend_class_name": backend_name,
            "config_class_module": config_module,
            "config_class_name": config_name,
            "config_kwargs": self.cell.config_kwargs(),
        }

    def get_worker_schema_sql(self, scenario_name: str, table_name: str) -> str:
        return self.create_table_sql(table_name, self.worker_table_sets)
