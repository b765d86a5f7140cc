"""The core's named-connection, named-expression, named-procedure, named-procedure-graph and
named-migration commands, plugged in with the factories each of the core's helpers expects.

The helpers do not agree on their async factories (named-migration awaits its factory and
passes the backend to its disconnect; the others call the factory and disconnect without
arguments; named-procedure-graph calls its async disconnect without awaiting it), so each gets
its own small adapter here, over one pair of sync and async openers.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from .output import create_provider
from .settings import resolve_config
from .spec import CliSpec

logger = logging.getLogger(__name__)

NAMED_COMMANDS = (
    "named-connection",
    "named-expression",
    "named-procedure",
    "named-procedure-graph",
    "named-migration",
)


def add_named_commands(sub: Any, parent: argparse.ArgumentParser) -> None:
    from rhosocial.activerecord.backend.migration.cli import create_named_migration_parser
    from rhosocial.activerecord.backend.named_connection.cli import create_named_connection_parser
    from rhosocial.activerecord.backend.named_expression.cli import create_named_expression_parser
    from rhosocial.activerecord.backend.named_expression.cli_procedure import (
        create_named_procedure_parser,
    )
    from rhosocial.activerecord.backend.named_expression.cli_procedure_graph import (
        create_named_procedure_graph_parser,
    )

    create_named_expression_parser(sub, parent)
    create_named_procedure_parser(sub, parent)
    create_named_procedure_graph_parser(sub, parent)
    create_named_migration_parser(sub, parent)
    create_named_connection_parser(sub, parent)


class _Openers:
    """Backends for one named-* command, sync and async, each opened at most once."""

    def __init__(self, spec: CliSpec, args: argparse.Namespace) -> None:
        self.spec = spec
        # Resolved before the core's helper runs: it catches every exception as its own
        # failure (exit 1), and a bad setting is a usage error (exit 2).
        self.config = resolve_config(spec, args)
        self.sync: Any = None
        self.async_: Any = None
        self.async_ready = False

    def open_sync(self) -> Any:
        if self.sync is None:
            backend = self.spec.backend_class(connection_config=self.config)
            backend.connect()
            backend.introspect_and_adapt()
            self.sync = backend
        return self.sync

    def close_sync(self) -> None:
        if self.sync is not None:
            self.sync.disconnect()

    def make_async(self) -> Any:
        if self.async_ is None:
            self.async_ = self.spec.async_backend_class(connection_config=self.config)
        return self.async_

    async def ready_async(self) -> Any:
        backend = self.make_async()
        if not self.async_ready:
            await backend.connect()
            await backend.introspect_and_adapt()
            self.async_ready = True
        return backend

    async def close_async(self, *_backend: Any) -> None:
        # The async backend connects itself on its first statement, so it may be connected
        # without ready_async() having run.
        if self.async_ is not None:
            await self.async_.disconnect()


def run_named(spec: CliSpec, args: argparse.Namespace) -> None:
    """Hand the command to the core's helper (which prints and calls ``sys.exit`` itself)."""
    from rhosocial.activerecord.backend.named_connection import NamedConnectionResolver
    from rhosocial.activerecord.backend.options import ExecutionOptions

    if getattr(args, "use_async", False):
        args.is_async = True  # the official --use-async, the core's --async: one switch
    provider = create_provider(
        getattr(args, "output", None) or "table",
        ascii_borders=bool(getattr(args, "rich_ascii", False)),
    )
    o = _Openers(spec, args)
    command = args.command

    if command == "named-connection":
        from rhosocial.activerecord.backend.named_connection.cli import handle_named_connection

        handle_named_connection(args, NamedConnectionResolver, provider)
        return

    if command == "named-expression":
        from rhosocial.activerecord.backend.named_expression.cli import handle_named_expression

        def execute(sql: str, params: Any, stmt_type: Any) -> Any:
            return o.open_sync().execute(sql, params, options=ExecutionOptions(stmt_type=stmt_type))

        def execute_async(sql: str, params: Any, stmt_type: Any) -> Any:
            # Core 1.0.0.dev29 calls this without awaiting it, inside its own running loop,
            # so the async backend runs (and is closed) on a loop of another thread.
            async def once() -> Any:
                backend = o.make_async()
                try:
                    return await backend.execute(
                        sql, params, options=ExecutionOptions(stmt_type=stmt_type)
                    )
                finally:
                    await backend.disconnect()
                    o.async_ = None

            with ThreadPoolExecutor(max_workers=1) as pool:
                return pool.submit(asyncio.run, once()).result()

        handle_named_expression(
            args,
            provider,
            backend_factory=o.open_sync,
            get_dialect=lambda b: b.dialect,
            execute_query=execute,
            disconnect=o.close_sync,
            backend_async_factory=o.make_async,
            get_dialect_async=lambda b: b.dialect,  # called without await by the core
            execute_query_async=execute_async,
            disconnect_async=o.close_async,  # type: ignore[arg-type]  # the core annotates Callable[[], None] but awaits it
        )
        return

    if command == "named-procedure":
        from rhosocial.activerecord.backend.named_expression.cli_procedure import (
            handle_named_procedure,
        )

        handle_named_procedure(
            args,
            provider,
            backend_factory=o.open_sync,
            disconnect=o.close_sync,
            backend_async_factory=o.make_async,
            disconnect_async=o.close_async,  # type: ignore[arg-type]  # as above: awaited by the core
        )
        return

    if command == "named-procedure-graph":
        from rhosocial.activerecord.backend.named_expression.cli_procedure_graph import (
            handle_named_procedure_graph,
        )

        def close_async_unawaited() -> None:
            # The core calls this without awaiting, after its own asyncio.run has ended.
            if o.async_ is not None:
                try:
                    asyncio.run(o.async_.disconnect())
                except Exception:  # noqa: BLE001 - the loop that owned the connection is gone
                    logger.debug("closing the async backend after the graph", exc_info=True)

        handle_named_procedure_graph(
            args,
            provider,
            backend_factory=o.open_sync,
            disconnect=o.close_sync,
            backend_async_factory=o.make_async,
            disconnect_async=close_async_unawaited,
        )
        return

    from rhosocial.activerecord.backend.migration.cli import handle_named_migration

    handle_named_migration(
        args,
        provider,
        backend_factory=o.open_sync,
        disconnect=o.close_sync,
        backend_async_factory=o.ready_async,
        disconnect_async=o.close_async,
    )
