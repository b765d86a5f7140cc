"""The transform of tools/async_to_sync.py, on small sources: each test names a way a text
rewrite went wrong (issue 8) and shows the syntax-tree rewrite does not."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import async_to_sync as tool  # noqa: E402


def sync_of(source: str, names: dict[str, str] | None = None) -> str:
    return tool.convert(textwrap.dedent(source), names or {}, "src/x.py", "tools/tests/x.py")


def body(text: str) -> str:
    """The generated text without its two header lines."""
    lines = text.splitlines()
    assert lines[0].startswith("# Generated from src/x.py by tools/async_to_sync.py")
    assert "do not edit" in lines[0]
    return "\n".join(lines[2:]) + "\n"


def run(text: str) -> dict[str, object]:
    namespace: dict[str, object] = {}
    exec(compile(text, "<generated>", "exec"), namespace)  # noqa: S102 - the test's own source
    return namespace


def test_async_constructs_become_plain() -> None:
    out = body(
        sync_of(
            """
            async def f(items, lock):
                async with lock:
                    pass
                got = [x async for x in items]
                async for x in items:
                    got.append(await x)
                return got
            """
        )
    )
    assert "async" not in out and "await" not in out
    assert "with lock:" in out and "got = [x for x in items]" in out
    assert "for x in items:\n        got.append(x)" in out


def test_comments_are_kept() -> None:
    out = sync_of(
        """
        async def f(g):
            # why this is done first
            x = await g()  # and why this
            return x
        """
    )
    assert "    # why this is done first\n" in out
    assert "x = g()  # and why this\n" in out


def test_a_comment_ending_in_await_does_not_swallow_the_next_line() -> None:
    # The regex twin turned this into "# ... ,  return 1" on one line: f returned None.
    out = sync_of(
        """
        async def f():
            # the result is ready here, no need to await
            return 1
        """
    )
    assert run(out)["f"]() == 1  # type: ignore[operator]


def test_string_literals_are_untouched() -> None:
    out = sync_of(
        '''
        async def f():
            """Say "await x" and AsyncConnection."""
            return "await x", 'async for y', "AsyncConnection"
        ''',
        {"AsyncConnection": "Connection"},
    )
    f = run(out)["f"]
    assert f() == ("await x", "async for y", "AsyncConnection")  # type: ignore[operator]
    assert f.__doc__ == 'Say "await x" and AsyncConnection.'


def test_zero_argument_super_works() -> None:
    # A twin compiled outside its class body has no __class__ cell: super() raised RuntimeError.
    out = sync_of(
        """
        class Base:
            async def hello(self):
                return "base"

        class AsyncChild(Base):
            async def hello(self):
                return "child of " + await super().hello()
        """,
        {"AsyncChild": "Child"},
    )
    child = run(out)["Child"]
    assert child().hello() == "child of base"  # type: ignore[operator]


def test_names_are_mapped_in_code_imports_and_definitions() -> None:
    out = body(
        sync_of(
            """
            import asyncio
            import time
            from collections.abc import AsyncIterator

            from .async_io import AsyncConnection


            class AsyncReader:
                async def __aenter__(self) -> AsyncReader:
                    await asyncio.sleep(0)
                    return self

                async def rows(self, conn: AsyncConnection) -> AsyncIterator[int]:
                    async for row in conn:
                        yield row
            """,
            {"async_io": "sync_io", "AsyncConnection": "Connection", "AsyncReader": "Reader"},
        )
    )
    assert "from .sync_io import Connection" in out
    assert "from collections.abc import Iterator" in out
    assert "class Reader:" in out and "def __enter__(self) -> Reader:" in out
    assert "time.sleep(0)" in out
    assert "def rows(self, conn: Connection) -> Iterator[int]:" in out
    # asyncio was only used for sleep: ruff's fix removed the unused import.
    assert "import asyncio" not in out


def test_marked_blocks_keep_the_else_branch() -> None:
    source = """
        import time


        async def pause(log):
            if True:  # ASYNC
                log.append("async")
            else:
                # only here in the sync module
                log.append("sync")
            log.append("both")


        async def only_async(log):
            if True:  # ASYNC
                log.append("async")
            log.append("both")


        def unmarked(log):
            if True:  # a plain comment: not a marker
                log.append("kept")
        """
    out = sync_of(source)
    assert "# ASYNC" not in out and '"async"' not in out
    assert "# only here in the sync module" in out
    ns = run(out)
    for name, expected in (
        ("pause", ["sync", "both"]),
        ("only_async", ["both"]),
        ("unmarked", ["kept"]),
    ):
        log: list[str] = []
        ns[name](log)  # type: ignore[operator]
        assert log == expected, name


def test_output_is_stable_under_the_formatter() -> None:
    out = sync_of(
        """
        async def f(a,b):
            return {'a':a,
                'b':b}
        """
    )
    assert tool._run_ruff(["format", "--quiet"], out, "tools/tests/x.py") == out


def test_unknown_package_is_an_error() -> None:
    with pytest.raises(SystemExit, match="unknown package"):
        tool.main(["--check", "no-such-package"])
