#!/usr/bin/env python3
"""Write the synchronous modules of the packages from their asynchronous source (decision 0007).

The I/O code of a backend is written once, as ``async def``; its synchronous twin is a committed
module that this tool writes from the syntax tree of the source (never from its text):

- ``async def`` becomes ``def``, ``await x`` becomes ``x``, ``async for``/``async with`` (and
  async comprehensions) become their plain forms;
- identifiers are renamed through an explicit map (``COMMON_NAMES`` plus the package's own
  ``names`` in ``PACKAGES``): names, attributes, class, function and import names, and the
  dotted names of ``from ... import``. A dotted key (``asyncio.sleep``) matches that attribute
  chain as a whole. String literals, docstrings included, are never touched;
- comments are kept (``ast-comments``);
- the few real differences are marked in the source::

      if True:  # ASYNC
          ...       # only in the async module
      else:
          ...       # only in the generated sync module (the else branch may be absent)

- the output gets a "generated ... do not edit" header and goes through ``ruff check
  --fix-only`` (imports the renames made unused or unsorted) and ``ruff format`` with the
  repository's configuration, so the drift check and the format check never disagree.

Usage (from the repository root)::

    python tools/async_to_sync.py                 # rewrite every generated module
    python tools/async_to_sync.py postgres        # only the named packages
    python tools/async_to_sync.py --check         # exit 1 and name each stale generated module

To add a package, give it one entry in ``PACKAGES`` below: its folder, its ``source -> generated``
modules (relative to that folder) and the renames only it needs.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import ast_comments  # type: ignore[import-untyped]  # the package ships no type information

REPO = Path(__file__).resolve().parent.parent
TOOL = "tools/async_to_sync.py"
MARKER = "# ASYNC"


@dataclass(frozen=True)
class Package:
    """One package's generated modules: ``files`` maps an async source to the sync module
    written from it (both relative to ``root``); ``names`` are renames only this package needs,
    on top of ``COMMON_NAMES``."""

    root: str
    files: Mapping[str, str]
    names: Mapping[str, str] = field(default_factory=dict)


# Renames every package gets: asyncio's names for the protocols and their plain counterparts.
COMMON_NAMES: Mapping[str, str] = {
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "AsyncContextManager": "ContextManager",
    "AbstractAsyncContextManager": "AbstractContextManager",
    "asynccontextmanager": "contextmanager",
    "StopAsyncIteration": "StopIteration",
    "asyncio.sleep": "time.sleep",
}

# The per-package table. ``root`` is relative to the repository root.
PACKAGES: Mapping[str, Package] = {
    "postgres": Package(
        root="packages/postgres/src/rhosocial/activerecord/backend/impl/postgres",
        files={
            "async_backend.py": "backend.py",
            "async_connection.py": "connection.py",
            "async_transaction.py": "transaction.py",
        },
        names={
            "async_backend": "backend",
            "async_connection": "connection",
            "async_transaction": "transaction",
            "AsyncBoundedConnection": "BoundedConnection",
            "AsyncPostgresBackend": "PostgresBackend",
            "AsyncPostgresExplainMixin": "PostgresExplainMixin",
            "AsyncPostgresTransactionManager": "PostgresTransactionManager",
            "AsyncStorageBackend": "StorageBackend",
            "AsyncTransactionManager": "TransactionManager",
            "AsyncConnection": "Connection",
            "AsyncCursor": "Cursor",
            "AsyncServerCursor": "ServerCursor",
        },
    ),
    "mysql": Package(
        root="packages/mysql/src/rhosocial/activerecord/backend/impl/mysql",
        files={
            "async_backend_base.py": "backend_base.py",
            "async_transaction.py": "transaction.py",
        },
        names={
            "async_backend_base": "backend_base",
            "async_transaction": "transaction",
            "FamilyAsyncBackend": "FamilySyncBackend",
            "AsyncFamilyExplainMixin": "FamilyExplainMixin",
            "AsyncStorageBackend": "StorageBackend",
            "AsyncMySQLTransactionManager": "MySQLTransactionManager",
            "AsyncTransactionManager": "TransactionManager",
            "_execute_batch_fast_async": "_execute_batch_fast",
        },
    ),
    # The introspectors (issue 10): the core's sync/async bases, ours on top.
    "postgres-introspection": Package(
        root="packages/postgres/src/rhosocial/activerecord/backend/impl/postgres/introspection",
        files={
            "async_introspector.py": "sync_introspector.py",
            "async_status.py": "sync_status.py",
        },
        names={
            "async_introspector": "sync_introspector",
            "async_status": "sync_status",
            "AsyncAbstractIntrospector": "SyncAbstractIntrospector",
            "AsyncAbstractStatusIntrospector": "SyncAbstractStatusIntrospector",
            "AsyncPostgreSQLIntrospector": "SyncPostgreSQLIntrospector",
            "AsyncPostgreSQLStatusIntrospector": "SyncPostgreSQLStatusIntrospector",
        },
    ),
    "mysql-introspection": Package(
        root="packages/mysql/src/rhosocial/activerecord/backend/impl/mysql/introspection",
        files={
            "async_introspector.py": "sync_introspector.py",
            "async_status.py": "sync_status.py",
        },
        names={
            "async_introspector": "sync_introspector",
            "async_status": "sync_status",
            "AsyncAbstractIntrospector": "SyncAbstractIntrospector",
            "AsyncAbstractStatusIntrospector": "SyncAbstractStatusIntrospector",
            "AsyncMySQLIntrospector": "SyncMySQLIntrospector",
            "AsyncMySQLStatusIntrospector": "SyncMySQLStatusIntrospector",
        },
    ),
}


class AsyncToSync(ast.NodeTransformer):
    """The syntax-tree rewrite: async constructs to plain ones, names through ``names``."""

    def __init__(self, names: Mapping[str, str]) -> None:
        self.names = dict(names)
        self.dotted = {k: v for k, v in self.names.items() if "." in k}

    # -- async constructs ---------------------------------------------------------------------

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        new = ast.FunctionDef(**{name: getattr(node, name) for name in node._fields})
        new.name = self.names.get(node.name, node.name)
        return ast.copy_location(new, node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        self.generic_visit(node)
        node.name = self.names.get(node.name, node.name)
        return node

    def visit_Await(self, node: ast.Await) -> ast.AST:
        self.generic_visit(node)
        return node.value

    def visit_AsyncFor(self, node: ast.AsyncFor) -> ast.For:
        self.generic_visit(node)
        new = ast.For(**{name: getattr(node, name) for name in node._fields})
        return ast.copy_location(new, node)

    def visit_AsyncWith(self, node: ast.AsyncWith) -> ast.With:
        self.generic_visit(node)
        new = ast.With(**{name: getattr(node, name) for name in node._fields})
        return ast.copy_location(new, node)

    def visit_comprehension(self, node: ast.comprehension) -> ast.comprehension:
        self.generic_visit(node)
        node.is_async = 0
        return node

    # -- the marked differences ---------------------------------------------------------------

    def visit_If(self, node: ast.If) -> ast.AST | list[ast.AST] | None:
        if not is_async_block(node):
            self.generic_visit(node)
            return node
        kept: list[ast.AST] = []
        for stmt in node.orelse:
            out = self.visit(stmt)
            if isinstance(out, list):
                kept.extend(out)
            elif out is not None:
                kept.append(out)
        return kept or None

    # -- names --------------------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.names.get(node.id, node.id)
        return node

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        dotted = dotted_name(node)
        if dotted is not None and dotted in self.dotted:
            new = ast.parse(self.dotted[dotted], mode="eval").body
            for sub in ast.walk(new):
                if isinstance(sub, (ast.Name, ast.Attribute)):
                    sub.ctx = node.ctx
            return ast.copy_location(new, node)
        self.generic_visit(node)
        node.attr = self.names.get(node.attr, node.attr)
        return node

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.ClassDef:
        self.generic_visit(node)
        node.name = self.names.get(node.name, node.name)
        return node

    def visit_alias(self, node: ast.alias) -> ast.alias:
        node.name = ".".join(self.names.get(part, part) for part in node.name.split("."))
        if node.asname is not None:
            node.asname = self.names.get(node.asname, node.asname)
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.ImportFrom:
        if node.module is not None:
            node.module = ".".join(self.names.get(p, p) for p in node.module.split("."))
        self.generic_visit(node)
        return node


def is_async_block(node: ast.If) -> bool:
    """``if True:  # ASYNC``: the comment is the first item ``ast-comments`` puts in its body."""
    return (
        isinstance(node.test, ast.Constant)
        and node.test.value is True
        and bool(node.body)
        and isinstance(node.body[0], ast_comments.Comment)
        and node.body[0].inline
        and node.body[0].value.strip() == MARKER
    )


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def header(source_label: str) -> str:
    return (
        f"# Generated from {source_label} by {TOOL}: do not edit.\n"
        f"# Edit the async source and run `python {TOOL}`; `--check` fails when this is stale.\n"
    )


def _ruff() -> str:
    found = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if found is None:
        raise SystemExit(f"{TOOL}: ruff not found (install requirements-dev.txt)")
    return found


def _run_ruff(args: list[str], text: str, filename: str) -> str:
    config = ["--config", str(REPO / "pyproject.toml")]
    done = subprocess.run(
        [_ruff(), *args, *config, "--stdin-filename", filename, "-"],
        input=text,
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{TOOL}: ruff {args[0]} failed on {filename}:\n{done.stderr}")
    return done.stdout


def convert(source: str, names: Mapping[str, str], source_label: str, target: str) -> str:
    """The generated sync module for ``source`` (the text of an async module)."""
    tree = ast_comments.parse(source)
    tree = AsyncToSync({**COMMON_NAMES, **names}).visit(tree)
    ast.fix_missing_locations(tree)
    text = header(source_label) + ast_comments.unparse(tree) + "\n"
    text = _run_ruff(["check", "--fix-only", "--exit-zero", "--quiet"], text, target)
    return _run_ruff(["format", "--quiet"], text, target)


def jobs(root: Path, selected: Iterable[str]) -> list[tuple[Path, Path, Package]]:
    out = []
    for name in selected:
        if name not in PACKAGES:
            raise SystemExit(f"{TOOL}: unknown package {name!r} (known: {', '.join(PACKAGES)})")
        package = PACKAGES[name]
        base = root / package.root
        for source, target in package.files.items():
            out.append((base / source, base / target, package))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("packages", nargs="*", help=f"default: all ({', '.join(PACKAGES)})")
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a generated file is stale"
    )
    parser.add_argument(
        "--root", type=Path, default=REPO, help="repository root (default: this checkout)"
    )
    args = parser.parse_args(argv)
    root = args.root.resolve()
    stale = []
    for source, target, package in jobs(root, args.packages or list(PACKAGES)):
        label = source.relative_to(root).as_posix()
        target_label = target.relative_to(root).as_posix()
        expected = convert(source.read_text(), package.names, label, target_label)
        current = target.read_text() if target.exists() else None
        if current == expected:
            continue
        if args.check:
            stale.append(target_label)
            print(f"stale: {target_label} (generated from {label}; run python {TOOL})")
        else:
            target.write_text(expected)
            print(f"wrote {target_label}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
