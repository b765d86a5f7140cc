"""info, ping, query, introspect, status: each written once for sync and async.

A command is an ``async def`` that reaches the backend through :func:`call`, which awaits what
the async backend returns and passes the sync backend's values through; ``--use-async`` picks
the backend class, nothing else changes.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import os
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from .output import create_provider, plain, show_mapping, show_rows
from .settings import UsageError, resolve_config, target_of
from .spec import CliSpec

T = TypeVar("T")
logger = logging.getLogger(__name__)


class Unsupported(Exception):
    """The backend lacks what the command needs: exit 1, one line."""


async def call(value: Awaitable[T] | T) -> T:
    if inspect.isawaitable(value):
        return await value
    return value


#: Per family: who and where we are, in one round trip (no user value in it).
INFO_SQL = {
    "postgres": "SELECT version() AS server, current_database() AS database, "
    "current_user AS \"user\", current_setting('server_encoding') AS encoding, "
    "current_setting('TimeZone') AS timezone, "
    "(SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS tls",
    "mysql": "SELECT VERSION() AS server, DATABASE() AS `database`, CURRENT_USER() AS `user`, "
    "@@character_set_connection AS encoding, @@session.time_zone AS timezone",
}


class Session:
    """One command's backend: made from the resolved config, connected on first use,
    disconnected at the end."""

    def __init__(self, spec: CliSpec, args: argparse.Namespace) -> None:
        self.spec = spec
        self.args = args
        self.output: str = getattr(args, "output", None) or "table"
        self.provider = create_provider(
            self.output, ascii_borders=bool(getattr(args, "rich_ascii", False))
        )
        self.config = resolve_config(spec, args)
        self.target = target_of(self.config)
        cls = spec.async_backend_class if getattr(args, "use_async", False) else spec.backend_class
        self.backend: Any = cls(connection_config=self.config)

    async def connect(self) -> Any:
        await call(self.backend.connect())
        await call(self.backend.introspect_and_adapt())
        return self.backend

    async def close(self) -> None:
        await call(self.backend.disconnect())


def why(exc: BaseException) -> str:
    """The message of ``exc`` on one line, with the system's reason from the innermost OSError
    of its chain when the message lacks it (aiomysql says "Can't connect" without saying the
    connection was refused)."""
    message = " ".join(str(exc).split())
    seen: set[int] = set()
    cause: BaseException | None = exc
    reason = None
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.errno:
            reason = os.strerror(cause.errno)
        cause = cause.__cause__ or cause.__context__
    if reason and reason.lower() not in message.lower():
        message = f"{message} ({reason})"
    return message


async def cmd_ping(s: Session) -> int:
    start = time.perf_counter()
    try:
        await call(s.backend.connect())
        answered = await call(s.backend.ping(reconnect=False))
    except Exception as exc:  # noqa: BLE001 - ping's whole job is to say why
        print(f"unreachable: {s.target}: {why(exc)}", file=sys.stderr)
        return 1
    if not answered:
        print(f"unreachable: {s.target}: connected, but the server did not answer", file=sys.stderr)
        return 1
    version = ".".join(map(str, await call(s.backend.get_server_version())))
    ms = (time.perf_counter() - start) * 1000
    print(f"ok: {s.target} ({s.spec.product} {version}, {ms:.1f} ms)")
    return 0


async def cmd_info(s: Session) -> int:
    backend = await s.connect()
    result = await call(backend.execute(INFO_SQL[s.spec.family]))
    row = dict((result.data or [{}])[0])
    info: dict[str, Any] = {
        "package": f"{s.spec.distribution} {s.spec.version}",
        "backend": type(backend).__name__,
        "dialect": type(backend.dialect).__name__,
        "target": s.target,
        "server_version": ".".join(map(str, await call(backend.get_server_version()))),
        **row,
    }
    for name in ("driver_name", "driver_mode"):  # the MySQL family says which driver it loaded
        value = getattr(backend, name, None)
        if isinstance(value, str):
            info[name.replace("_name", "")] = value
    info["features"], info["not_supported"] = dialect_features(backend.dialect)
    show_mapping(s.provider, s.output, info, f"{s.spec.product} backend")
    return 0


def dialect_features(dialect: Any) -> tuple[list[str], list[str]]:
    """The dialect's ``supports_*()`` answers for the connected server version, split into
    supported and not supported (the methods that need no argument)."""
    yes: list[str] = []
    no: list[str] = []
    for attr in sorted(dir(dialect)):
        if not attr.startswith("supports_"):
            continue
        method = getattr(dialect, attr, None)
        if not callable(method):
            continue
        try:
            signature = inspect.signature(method)
        except (TypeError, ValueError):
            continue
        if any(
            p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            for p in signature.parameters.values()
        ):
            continue
        (yes if method() else no).append(attr[len("supports_") :])
    return yes, no


def _statement(args: argparse.Namespace) -> str:
    if args.sql is not None and args.file is not None:
        raise UsageError("give the statement or -f FILE, not both")
    if args.file is not None and args.file != "-":
        try:
            with open(args.file, encoding="utf-8") as handle:
                text = handle.read()
        except OSError as exc:
            raise UsageError(f"-f {args.file}: {exc.strerror}") from None
    elif args.sql is not None:
        text = args.sql
    elif sys.stdin is not None and not sys.stdin.closed and not sys.stdin.isatty():
        text = sys.stdin.read()
    else:
        raise UsageError("query needs a statement: query SQL [VALUE...], -f FILE, or stdin")
    if not text.strip():
        raise UsageError("the statement is empty")
    return text


async def cmd_query(s: Session) -> int:
    sql = _statement(s.args)
    params = tuple(s.args.params) or None
    backend = await s.connect()
    result = await call(backend.execute(sql, params))
    if result is None:
        s.provider.display_no_result_object()
    elif result.data is not None:
        show_rows(s.provider, s.output, result.data, "Result")
    else:
        show_rows(s.provider, s.output, [{"affected_rows": result.affected_rows}], "Result")
    return 0


def _introspector(s: Session, backend: Any) -> Any:
    # Looked up on the class: an AttributeError raised inside a working introspector must not
    # read as "there is none".
    if not hasattr(type(backend), "introspector"):
        raise Unsupported(
            f"{s.spec.distribution} {s.spec.version}: {type(backend).__name__} has no "
            "introspector (backend.introspector) in this build"
        )
    return backend.introspector


_NEEDS_TABLE = ("table", "columns", "indexes", "foreign-keys")


async def cmd_introspect(s: Session) -> int:
    kind, name, schema = s.args.type, s.args.name, s.args.schema
    if kind in _NEEDS_TABLE and not name:
        raise UsageError(f"introspect {kind} needs a table name")
    backend = await s.connect()
    ins = _introspector(s, backend)
    show = show_rows
    if kind == "tables":
        rows = await call(ins.list_tables(schema=schema, include_system=s.args.include_system))
        show(s.provider, s.output, [plain(r) for r in rows], "Tables")
    elif kind == "views":
        rows = await call(ins.list_views(schema=schema, include_system=s.args.include_system))
        show(s.provider, s.output, [plain(r) for r in rows], "Views")
    elif kind == "table":
        info = await call(ins.get_table_info(name, schema=schema))
        if info is None:
            raise Unsupported(f"no table {name!r} in {s.target}")
        if s.output == "json":
            show_mapping(s.provider, s.output, plain(info), name)
        else:
            data = plain(info)
            for part in ("columns", "indexes", "foreign_keys"):
                if data.get(part):
                    show(s.provider, s.output, data[part], f"{part.replace('_', ' ')} of {name}")
    elif kind in ("columns", "indexes", "foreign-keys"):
        method = {
            "columns": ins.list_columns,
            "indexes": ins.list_indexes,
            "foreign-keys": ins.list_foreign_keys,
        }[kind]
        rows = await call(method(name, schema=schema))
        show(s.provider, s.output, [plain(r) for r in rows], f"{kind} of {name}")
    elif kind == "triggers":
        rows = await call(ins.list_triggers(table_name=name, schema=schema))
        show(s.provider, s.output, [plain(r) for r in rows], "Triggers")
    else:
        info = await call(ins.get_database_info())
        show_mapping(s.provider, s.output, plain(info), "Database")
    return 0


async def cmd_status(s: Session) -> int:
    backend = await s.connect()
    status = _introspector(s, backend).status
    kind = s.args.type
    if kind == "all":
        overview = await call(status.get_overview())
        data = overview.to_dict() if hasattr(overview, "to_dict") else plain(overview)
        show_mapping(s.provider, "json" if s.output in ("csv", "tsv") else s.output, data, "Status")
        return 0
    getter: Callable[[], Any] = {
        "config": status.list_configuration,
        "performance": status.list_performance_metrics,
        "connections": status.get_connection_info,
        "storage": status.get_storage_info,
        "databases": status.list_databases,
        "users": status.list_users,
        "session": status.get_session_info,
    }[kind]
    value = plain(await call(getter()))
    if isinstance(value, list):
        show_rows(s.provider, s.output, value, kind)
    else:
        show_mapping(s.provider, s.output, value, kind)
    return 0


COMMANDS: dict[str, Callable[[Session], Awaitable[int]]] = {
    "ping": cmd_ping,
    "info": cmd_info,
    "query": cmd_query,
    "introspect": cmd_introspect,
    "status": cmd_status,
}


async def run_session(spec: CliSpec, args: argparse.Namespace) -> int:
    session = Session(spec, args)
    try:
        return await COMMANDS[args.command](session)
    finally:
        try:
            await session.close()
        except Exception:  # noqa: BLE001 - the command's own outcome is what the user needs
            logger.debug("disconnect after %s failed", args.command, exc_info=True)
