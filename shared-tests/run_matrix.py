#!/usr/bin/env python3
"""Run the whole rhosocial-activerecord-testsuite once per (package, server) cell.

Each cell is its own pytest session (a subprocess), so its counts stand alone; ``--jobs`` cells
run in parallel. Results: ``build/test-results/<package>--<server>.xml`` (JUnit) and ``.log``,
then ``build/test-results/summary.json`` and a table on the terminal.

Exit status is non-zero on any failed or erroring test, on an expected cell that could not run
(server missing from the scenario file, unreachable, package not importable) and on a cell that
collected fewer than the expected 1684 tests. Arguments after ``--`` go to pytest; when they
select a subset (``-k``, ``-m``, ``--deselect``, a test path) a cell needs at least one test
instead of 1684, and the summary records the arguments.

While cells run, each running cell's progress (tests done of collected, failures so far,
elapsed time) is shown: refreshed in place on a terminal, as plain lines every
``AR_PROGRESS_INTERVAL`` seconds (default 30) otherwise (CI logs, pipes).

    python shared-tests/run_matrix.py                      # the local cells of cells.toml
    python shared-tests/run_matrix.py --only postgres:postgres-15 -- -k crud
    python shared-tests/run_matrix.py --cells docker --only mysql:mysql-8.4
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from ar_harness.profiles import get_profile  # noqa: E402
from ar_harness.scenarios import CellError, load_servers, scenarios_file  # noqa: E402

EXPECTED_COLLECTED = 1684  # testsuite 1.0.0.dev16: 1638 feature + 46 benchmark tests
TESTSUITE_DIRS = ("feature", "benchmark")
NARROWED = False  # set by main(): pytest arguments select a subset of the testsuite


def selects_subset(pytest_args: list[str]) -> bool:
    """Whether pytest arguments narrow the collection (a filter or a test path)."""
    for i, arg in enumerate(pytest_args):
        if arg in ("-k", "-m", "--deselect") or arg.startswith(("-k", "-m", "--deselect=")):
            return True
        takes_value = i > 0 and pytest_args[i - 1] in ("-k", "-m", "--deselect", "-p", "-o")
        if not arg.startswith("-") and not takes_value:
            return True  # a positional argument: a test path or node id
    return False


# --- cells.toml -----------------------------------------------------------------------------
def _read_toml(path: Path) -> dict[str, dict[str, list[str]]]:
    try:
        import tomllib  # Python 3.11+
    except ImportError:  # Python 3.10: tomli if present, else the tiny subset cells.toml uses
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ImportError:
            return _read_toml_subset(path.read_text())
    return tomllib.loads(path.read_text())


def _read_toml_subset(text: str) -> dict[str, dict[str, list[str]]]:
    """``[section]`` and ``key = ["a", "b"]`` lines, which is all cells.toml contains."""
    data: dict[str, dict[str, list[str]]] = {}
    section: dict[str, list[str]] = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line.startswith("[") and line.endswith("]"):
            section = data.setdefault(line[1:-1].strip(), {})
        elif "=" in line:
            key, _, value = line.partition("=")
            section[key.strip()] = json.loads(value.strip())
    return data


def expected_cells(kind: str) -> list[tuple[str, str]]:
    table = _read_toml(HERE / "cells.toml").get(kind)
    if not table:
        raise SystemExit(f"cells.toml has no [{kind}] section")
    return [(package, server) for package, servers in table.items() for server in servers]


# --- one cell -------------------------------------------------------------------------------
@dataclass
class CellResult:
    package: str
    server: str
    label: str = ""
    product: str = ""
    version: str = ""
    status: str = "not run"  # ran | missing | unreachable | not importable | crashed
    problem: str = ""
    collected: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0
    skipped: int = 0
    xfailed: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    duration_s: float = 0.0
    junit: str = ""
    log: str = ""

    @property
    def name(self) -> str:
        return f"{self.package}--{self.server}"

    def ok(self) -> bool:
        return (
            self.status == "ran"
            and not self.failed
            and not self.errors
            and self.collected >= (1 if NARROWED else EXPECTED_COLLECTED)
        )


def _testsuite_root() -> Path:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import rhosocial.activerecord.testsuite as t, os; print(os.path.dirname(t.__file__))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def _importable(package: str) -> str | None:
    """None if the package's backend classes import, else the error line."""
    profile = get_profile(package)
    code = (
        "import importlib\n"
        f"for dotted in {[profile.sync_backend, profile.async_backend, profile.config_class]!r}:\n"
        "    m, _, n = dotted.partition(':'); getattr(importlib.import_module(m), n)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if proc.returncode == 0:
        return None
    lines = [line for line in proc.stderr.strip().splitlines() if line.strip()]
    return lines[-1] if lines else f"exit {proc.returncode}"


def _reachable(server: dict) -> str | None:
    try:
        with socket.create_connection((server["host"], int(server["port"])), timeout=3):
            return None
    except OSError as exc:
        return f"{server['host']}:{server['port']}: {exc.strerror or exc}"


def _parse_junit(path: Path, result: CellResult) -> None:
    root = ET.parse(path).getroot()
    reasons: collections.Counter = collections.Counter()
    for case in root.iter("testcase"):
        result.collected += 1
        outcome = "passed"
        for child in case:
            if child.tag == "skipped":
                if child.get("type") == "pytest.xfail":
                    outcome = "xfailed"
                else:
                    outcome = "skipped"
                    reasons[_skip_reason(child.get("message") or "")] += 1
            elif child.tag == "failure":
                outcome = "failed"
            elif child.tag == "error":
                outcome = "errors"
        if outcome in ("failed", "errors"):
            result.failures.append(f"{case.get('classname')}::{case.get('name')} ({outcome})")
        setattr(result, outcome, getattr(result, outcome) + 1)
    result.skip_reasons = dict(reasons.most_common())


def _skip_reason(message: str) -> str:
    # pytest writes "Skipped: <reason>" for pytest.skip() and the bare reason for skip marks
    return message[len("Skipped: ") :] if message.startswith("Skipped: ") else message


def _shown(path: Path) -> str:
    """A path as the summary shows it: relative to the repository when inside it."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def run_cell(
    package: str,
    server_name: str,
    servers: dict[str, dict],
    results_dir: Path,
    testsuite: Path,
    pytest_args: list[str],
    live: Live | None = None,
) -> CellResult:
    result = CellResult(package, server_name)
    server = servers.get(server_name)
    if server is None:
        result.status, result.problem = "missing", f"not in {scenarios_file()}"
        return result
    profile = get_profile(package)
    result.label = profile.label(server)
    result.product, result.version = str(server.get("product", "")), str(server.get("version", ""))
    problem = _reachable(server)
    if problem:
        result.status, result.problem = "unreachable", problem
        return result
    problem = _importable(package)
    if problem:
        result.status, result.problem = "not importable", problem
        return result

    junit = results_dir / f"{result.name}.xml"
    log = results_dir / f"{result.name}.log"
    progress = results_dir / f"{result.name}.progress.json"
    for stale in (junit, progress):
        stale.unlink(missing_ok=True)
    env = dict(os.environ)
    env.update(
        {
            "AR_PACKAGE": package,
            "AR_SERVER": server_name,
            "AR_SCENARIOS_FILE": str(scenarios_file()),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])),
            "PYTHONDONTWRITEBYTECODE": "1",
            "TESTSUITE_PROVIDER_REGISTRY": "ar_harness.registry:provider_registry",
            "AR_PROGRESS_FILE": str(progress),
        }
    )
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        "-c",
        str(HERE / "pytest.ini"),
        "--rootdir",
        str(HERE),
        f"--junitxml={junit}",
        "-o",
        "junit_family=xunit1",
        "-q",
        "-p",
        "ar_harness.progress",
        *(str(testsuite / d) for d in TESTSUITE_DIRS),
        *pytest_args,
    ]
    started = time.monotonic()
    if live:
        live.start(result.name, progress, started)
    try:
        with log.open("w") as out:
            proc = subprocess.run(cmd, cwd=HERE, env=env, stdout=out, stderr=subprocess.STDOUT)
    finally:
        if live:
            live.stop(result.name)
        progress.unlink(missing_ok=True)
    result.duration_s = round(time.monotonic() - started, 1)
    result.junit, result.log = _shown(junit), _shown(log)
    if not junit.exists():
        result.status, result.problem = (
            "crashed",
            f"pytest exited {proc.returncode} without JUnit XML",
        )
        return result
    result.status = "ran"
    _parse_junit(junit, result)
    return result


# --- live progress --------------------------------------------------------------------------
class Live:
    """What every running cell has done so far, from the files ar_harness.progress writes.

    On a terminal the block of running cells is redrawn in place every second; elsewhere (CI
    logs, a pipe, ``CI`` set) a plain line per running cell is printed every ``interval``
    seconds. Cell workers report start, stop and their result lines through here, so only one
    thread writes to the terminal.
    """

    def __init__(self, tty: bool, interval: float) -> None:
        self.tty = tty
        self.interval = interval
        self.lock = threading.Lock()
        self.running: dict[str, tuple[Path, float]] = {}
        self.pending: list[str] = []  # finished-cell lines not printed yet
        self.drawn = 0  # lines of the in-place block on screen
        self.last_plain = time.monotonic()

    def start(self, name: str, progress: Path, started: float) -> None:
        with self.lock:
            self.running[name] = (progress, started)

    def stop(self, name: str) -> None:
        with self.lock:
            self.running.pop(name, None)

    def say(self, line: str) -> None:
        with self.lock:
            self.pending.append(line)

    @staticmethod
    def _line(name: str, progress: Path, started: float) -> str:
        elapsed = int(time.monotonic() - started)
        try:
            data = json.loads(progress.read_text())
        except (OSError, ValueError):
            data = None
        if not data or not data.get("collected"):
            what = "collecting"
        else:
            what = f"{data['done']}/{data['collected']} done, {data['failed']} failed"
        return f"  {name}: {what}, {elapsed // 60}m{elapsed % 60:02d}s"

    def tick(self, final: bool = False) -> None:
        with self.lock:
            pending, self.pending = self.pending, []
            running = sorted(self.running.items())
        out = sys.stdout
        if self.tty:
            if self.drawn:
                out.write(f"\x1b[{self.drawn}F\x1b[J")  # back to the block's start, clear
            for line in pending:
                out.write(line + "\n")
            block = [] if final else [self._line(n, *v) for n, v in running]
            for line in block:
                out.write(line[: shutil.get_terminal_size().columns - 1] + "\n")
            self.drawn = len(block)
        else:
            for line in pending:
                out.write(line + "\n")
            now = time.monotonic()
            if not final and running and now - self.last_plain >= self.interval:
                self.last_plain = now
                for name, value in running:
                    out.write("progress" + self._line(name, *value)[1:] + "\n")
        out.flush()


def _live_for_terminal() -> Live:
    ci = os.environ.get("CI", "").lower() not in ("", "0", "false")
    tty = sys.stdout.isatty() and not ci and os.environ.get("TERM") != "dumb"
    return Live(tty, float(os.environ.get("AR_PROGRESS_INTERVAL", "30")))


# --- report ---------------------------------------------------------------------------------
def print_table(results: list[CellResult]) -> None:
    packages = sorted({r.package for r in results})
    servers = sorted({r.server for r in results})
    by_cell = {(r.package, r.server): r for r in results}
    width = max(20, *(len(s) for s in servers))
    print()
    print("package x server: passed / failed / skipped  (errors, collected when not clean)")
    print(f"{'':10}" + "".join(f"{s:>{width + 2}}" for s in servers))
    for package in packages:
        cells = []
        for server in servers:
            r = by_cell.get((package, server))
            if r is None:
                text = "-"
            elif r.status != "ran":
                text = r.status.upper()
            else:
                text = f"{r.passed} / {r.failed} / {r.skipped}"
                if r.errors:
                    text += f" E{r.errors}"
                if r.collected < EXPECTED_COLLECTED:
                    text += f" C{r.collected}"
            cells.append(f"{text:>{width + 2}}")
        print(f"{package:10}" + "".join(cells))
    for r in results:
        if r.status != "ran":
            print(f"  {r.name}: {r.status}: {r.problem}")
        elif not r.ok():
            print(
                f"  {r.name}: {r.failed} failed, {r.errors} errors, {r.collected} collected "
                f"(see {r.log})"
            )
    print()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    pytest_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, pytest_args = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", choices=("local", "docker"), default="local")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PACKAGE:SERVER",
        help="run just this cell (repeatable)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="cells run in parallel (default 2)")
    parser.add_argument("--results-dir", type=Path, default=REPO / "build" / "test-results")
    args = parser.parse_args(argv)
    global NARROWED
    NARROWED = selects_subset(pytest_args)

    cells = expected_cells(args.cells)
    if args.only:
        wanted = [tuple(item.split(":", 1)) for item in args.only]
        unknown = [f"{p}:{s}" for p, s in wanted if (p, s) not in cells]
        if unknown:
            print(f"note: {', '.join(unknown)} not in [{args.cells}] of cells.toml; running anyway")
        cells = wanted
    try:
        servers = {s["name"]: s for s in load_servers()}
    except CellError as exc:
        print(f"error: {exc}")
        servers = {}
    args.results_dir = args.results_dir.resolve()  # pytest runs from shared-tests/
    args.results_dir.mkdir(parents=True, exist_ok=True)
    testsuite = _testsuite_root()

    print(f"{len(cells)} cell(s), {args.jobs} at a time; logs in {args.results_dir}")
    started = time.monotonic()

    live = _live_for_terminal()

    def one(cell: tuple[str, str]) -> CellResult:
        result = run_cell(cell[0], cell[1], servers, args.results_dir, testsuite, pytest_args, live)
        state = "ok" if result.ok() else "NOT OK"
        live.say(
            f"  {result.name}: {result.status}, {result.passed} passed, {result.failed} failed, "
            f"{result.errors} errors, {result.skipped} skipped, {result.collected} collected, "
            f"{result.duration_s}s [{state}]"
        )
        return result

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(one, cell) for cell in cells]
        while wait(futures, timeout=1.0).not_done:
            live.tick()
        live.tick(final=True)
        results = [f.result() for f in futures]

    summary = {
        "expected_collected": EXPECTED_COLLECTED,
        "cells_kind": args.cells,
        "scenarios_file": str(scenarios_file()),
        "pytest_args": pytest_args,
        "narrowed": NARROWED,
        "wall_time_s": round(time.monotonic() - started, 1),
        "ok": all(r.ok() for r in results),
        "cells": [{**asdict(r), "ok": r.ok()} for r in results],
    }
    (args.results_dir / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print_table(results)
    print(f"summary: {args.results_dir / 'summary.json'} ({summary['wall_time_s']}s)")
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
