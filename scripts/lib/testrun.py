"""scripts/test after the bootstrap: every check of the workspace, then a table.

Steps, in order: servers up, schema checks (+ actionlint), ruff check, ruff format --check,
mypy per package, the generated sync code (tools/tests), each package's own tests (one pytest
session per package, JUnit XML in build/test-results/), the fault suite (shared-tests/faults),
the testsuite matrix (shared-tests/run_matrix.py). A failing step never
stops the later ones; the exit code is non-zero when any step failed. Each step's time is in
the summary. The last line is a plain "total: N passed, N failed, N skipped".

Narrow runs:
  --unit                 unit tests only: no server started or probed, no checks, no suite
                         (add --checks to run the static checks too, as CI's lint job does)
  --package NAME         every step narrowed to NAME: its lint, its type check, its tests, its
                         cells, only the servers they use (repeatable)
  --only PACKAGE:SERVER  the testsuite cell alone, with the one server it needs (repeatable;
                         add --package PACKAGE for that package's checks and tests as well)
  -- ARGS                the rest goes to every pytest session of the run (`-- -k expr`,
                         `-- -x`); a path under packages/ replaces that package's test targets
                         and narrows the run to that package
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# AR_RESULTS_DIR: somewhere else than build/test-results (e.g. a trial run beside a real one).
RESULTS = Path(os.environ.get("AR_RESULTS_DIR") or REPO / "build" / "test-results").resolve()
# Dependency order: common first, the MySQL family's shared code before mariadb.
PACKAGES = ["common", "postgres", "mysql", "mariadb"]
# The servers a package's own (integration) tests use: its family's first matrix server and
# its TLS instance (see packages/*/tests and docs/decisions/0001).
PACKAGE_SERVERS = {
    "common": [],
    "postgres": ["postgres-15", "postgres-15-tls"],
    "mysql": ["mariadb-10.11", "mariadb-10.11-tls"],
    "mariadb": ["mariadb-10.11", "mariadb-10.11-tls"],
}
PY = sys.executable  # the .venv interpreter: scripts/test execs us with it
BIN = Path(PY).parent


@dataclass
class Step:
    name: str
    status: str = "not run"  # ok | FAILED | skipped
    detail: str = ""
    seconds: float = 0.0
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    extra: dict = field(default_factory=dict)


def banner(text: str) -> None:
    print(f"\n==== {text}", flush=True)


def run(argv: list[str], env: dict | None = None) -> int:
    print("$ " + shlex.join(argv), flush=True)
    return subprocess.run(
        argv, cwd=REPO, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    ).returncode


def junit_counts(path: Path) -> tuple[int, int, int, int]:
    """(tests, failures + errors, skipped, passed) from a pytest JUnit file."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return tests, bad, skipped, tests - bad - skipped


def step_command(step: Step, argv: list[str], env: dict | None = None) -> None:
    started = time.monotonic()
    rc = run(argv, env)
    step.seconds = time.monotonic() - started
    step.status = "ok" if rc == 0 else "FAILED"
    step.detail = "" if rc == 0 else f"exit {rc}"


def _test_files(tests: Path) -> list[Path]:
    return sorted(tests.rglob("test_*.py")) if tests.is_dir() else []


def _is_filter(pytest_args: list[str]) -> bool:
    """Whether the pytest arguments select a subset (then "nothing selected" is no defect)."""
    return any(a in ("-k", "-m") or a.startswith(("-k", "-m", "--deselect")) for a in pytest_args)


def step_package(
    step: Step, package: str, unit_only: bool, paths: list[str], pytest_args: list[str]
) -> None:
    tests = REPO / "packages" / package / "tests"
    files = _test_files(tests)
    targets: list[Path] = [REPO / p for p in paths] or [tests]
    if not paths and unit_only:  # unit tests need no server: tests/unit/ or tests/test_unit_*.py
        targets = (
            [tests / "unit"] if (tests / "unit").is_dir() else sorted(tests.glob("test_unit*.py"))
        )
    if not paths and (not files or not targets):
        # A package without (unit) tests yet, e.g. a new one: nothing to run is not a failure,
        # and the summary says so. A folder WITH test files always runs below.
        step.status = "skipped"
        step.detail = f"no {'unit ' if unit_only else ''}tests in {tests.relative_to(REPO)}"
        return
    _run_pytest(step, targets, f"package-{package}", pytest_args)


def _run_pytest(step: Step, targets: list[Path], name: str, pytest_args: list[str]) -> None:
    """One pytest session over ``targets``: JUnit XML into build/test-results/, its counts into
    the step (a package's own tests, the tools' tests, the fault suite)."""
    xml = RESULTS / f"{name.replace('package-', 'package--', 1)}.xml"
    xml.unlink(missing_ok=True)
    started = time.monotonic()
    rc = run(
        [
            PY,
            "-m",
            "pytest",
            *(str(t.relative_to(REPO)) for t in targets),
            "-q",
            "-p",
            "no:cacheprovider",
            f"--junitxml={xml}",
            "-o",
            f"junit_suite_name={name}",
            *pytest_args,
        ],
        env={"PYTHONDONTWRITEBYTECODE": "1"},
    )
    step.seconds = time.monotonic() - started
    if xml.exists():
        _, step.failed, step.skipped, step.passed = junit_counts(xml)
    if rc == 5 and _is_filter(pytest_args):
        step.status, step.detail = "ok", "no test selected by the filter"
    elif rc == 5:  # test files exist but nothing was collected: something hides them
        step.status, step.detail = "FAILED", "pytest collected no tests (exit 5)"
    elif rc == 0:
        step.status = "ok"
    else:
        step.status, step.detail = "FAILED", f"pytest exit {rc}"


def _read_toml(path: Path) -> dict:
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest depends on tomli there
        import tomli as tomllib
    return tomllib.loads(path.read_text())


def cells_of(packages: list[str], kind: str) -> list[str]:
    """The declared cells (shared-tests/cells.toml) of `packages`."""
    declared = _read_toml(REPO / "shared-tests" / "cells.toml").get(kind, {})
    return [f"{p}:{server}" for p in packages for server in declared.get(p, [])]


def step_suite(step: Step, cells: list[str], kind: str, pytest_args: list[str]) -> None:
    runner = REPO / "shared-tests" / "run_matrix.py"
    argv = [PY, str(runner.relative_to(REPO)), "--cells", kind, "--results-dir", str(RESULTS)]
    for only in cells:
        argv += ["--only", only]
    if pytest_args:
        argv += ["--", *pytest_args]
    summary = RESULTS / "summary.json"
    summary.unlink(missing_ok=True)
    step_command(step, argv)
    if summary.exists():
        data = json.loads(summary.read_text())
        cells_done = data.get("cells", data) if isinstance(data, dict) else data
        step.extra["cells"] = cells_done
        for cell in cells_done:
            step.passed += int(cell.get("passed", 0))
            step.failed += int(cell.get("failed", 0)) + int(cell.get("errors", 0))
            step.skipped += int(cell.get("skipped", 0))
    elif step.status == "ok":
        step.status, step.detail = "FAILED", "run_matrix.py wrote no summary.json"


def print_cells(cells: list[dict]) -> None:
    rows = [
        (
            "package",
            "server",
            "version",
            "result",
            "collected",
            "passed",
            "failed",
            "skipped",
            "time",
        )
    ]
    for c in cells:
        failed = int(c.get("failed", 0)) + int(c.get("errors", 0))
        result = (
            "ok"
            if c.get("ok")
            else ("FAILED" if c.get("status") == "ran" else str(c.get("status", "?")).upper())
        )
        rows.append(
            (
                str(c.get("package", "?")),
                str(c.get("server", "?")),
                str(c.get("version", "")),
                result,
                str(c.get("collected", "")),
                str(c.get("passed", "")),
                str(failed),
                str(c.get("skipped", "")),
                f"{float(c.get('duration_s', 0)):.0f}s",
            )
        )
    print_rows(rows)


def secs(seconds: float) -> str:
    return f"{seconds:.1f}s" if seconds < 10 else f"{seconds:.0f}s"


def print_rows(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def split_pytest_args(argv: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(our arguments, package test paths, other pytest arguments) of the command line."""
    if "--" not in argv:
        return argv, [], []
    cut = argv.index("--")
    ours, rest = argv[:cut], argv[cut + 1 :]
    paths, options = [], []
    for arg in rest:
        target = (REPO / arg.split("::", 1)[0]).resolve()
        inside = target.is_relative_to(REPO / "packages") and target.exists()
        (paths if inside else options).append(arg)
    return ours, paths, options


def package_of(path: str) -> str:
    parts = Path(path).parts
    if len(parts) < 2 or parts[0] != "packages" or parts[1] not in PACKAGES:
        raise SystemExit(f"scripts/test: {path} is not inside packages/<name>/")
    return parts[1]


def parse(argv: list[str]) -> tuple[argparse.Namespace, list[str], list[str]]:
    ours, paths, pytest_args = split_pytest_args(argv)
    parser = argparse.ArgumentParser(
        prog="scripts/test",
        description=__doc__.split("\n")[0],
        epilog="\n".join(__doc__.split("\n")[8:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--package",
        action="append",
        choices=PACKAGES,
        default=[],
        help="narrow every step to this package (repeatable; default: all)",
    )
    parser.add_argument("--unit", action="store_true", help="unit tests only (no server, no suite)")
    parser.add_argument(
        "--checks", action="store_true", help="with --unit: run the static checks as well"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PACKAGE:SERVER",
        help="run only this testsuite cell (repeatable)",
    )
    parser.add_argument("--no-servers", action="store_true", help="do not run scripts/servers up")
    parser.add_argument(
        "--no-lint", action="store_true", help="skip the static checks (schemas, ruff, mypy)"
    )
    parser.add_argument("--no-package-tests", action="store_true")
    parser.add_argument("--no-suite", action="store_true", help="skip the testsuite matrix")
    parser.add_argument(
        "--no-faults",
        action="store_true",
        help="skip the fault suite (shared-tests/faults: private servers, proxy, bad values)",
    )
    parser.add_argument(
        "--cells",
        default="local",
        choices=["local", "docker"],
        help="which matrix of cells.toml (default: local)",
    )
    args = parser.parse_args(ours)
    for only in args.only:
        package, sep, server = only.partition(":")
        if not sep or package not in PACKAGES or not server:
            parser.error(f"--only {only}: expected PACKAGE:SERVER with PACKAGE one of {PACKAGES}")
    for path in paths:
        if package_of(str(Path(path.split("::", 1)[0]))) not in args.package:
            args.package.append(package_of(path.split("::", 1)[0]))
    return args, paths, pytest_args


def plan(args: argparse.Namespace, paths: list[str]) -> dict:
    """Which steps run, on which packages, cells and servers."""
    narrowed = bool(args.package)
    packages = [p for p in PACKAGES if p in args.package] if narrowed else list(PACKAGES)
    only_cells = bool(args.only) and not narrowed
    checks = not args.no_lint and not only_cells and (args.checks or not args.unit)
    package_tests = not args.no_package_tests and not only_cells
    suite = not args.no_suite and not args.unit and not (paths and not args.only)
    cells = args.only or (cells_of(packages, args.cells) if suite else [])
    if suite and not cells:
        suite = False  # e.g. --package common: it has no cells
    servers: list[str] = []
    if suite:
        servers += [c.partition(":")[2] for c in cells]
    if package_tests and not args.unit:
        servers += [s for p in packages for s in PACKAGE_SERVERS[p]]
    servers = list(dict.fromkeys(servers))
    start_servers = not args.no_servers and args.cells == "local" and bool(servers)
    return {
        "packages": packages,
        "narrowed": narrowed,
        "checks": checks,
        "package_tests": package_tests,
        "suite": suite,
        "cells": cells,
        "servers": servers if (narrowed or args.only) else [],  # [] = all of them
        "start_servers": start_servers,
        # The fault suite starts private servers of its own; it runs in full runs only.
        "faults": not args.no_faults and not args.unit and not narrowed and not args.only,
    }


def main(argv: list[str] | None = None) -> int:
    args, paths, pytest_args = parse(list(sys.argv[1:] if argv is None else argv))
    p = plan(args, paths)
    RESULTS.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    began = time.monotonic()

    if p["start_servers"]:
        banner("servers " + (" ".join(p["servers"]) or "(all)"))
        steps.append(Step("servers up"))
        step_command(steps[-1], [str(REPO / "scripts" / "servers"), "up", *p["servers"]])
    if p["checks"]:
        lint_paths = [f"packages/{x}" for x in p["packages"]] if p["narrowed"] else ["."]
        if not p["narrowed"]:  # repository-wide files; no package owns them
            banner("schema checks + actionlint")
            steps.append(Step("schemas/actionlint"))
            step_command(steps[-1], [str(REPO / "scripts" / "lib" / "check-schemas")])
            # The sync modules generated from async source (decision 0007): the transform's
            # own tests, and a failure when a committed generated module is stale or edited.
            banner("generated sync code (tools/async_to_sync.py --check, tools/tests)")
            steps.append(Step("generated code"))
            _run_pytest(steps[-1], [REPO / "tools" / "tests"], "tools", [])
        banner("ruff check")
        steps.append(Step("ruff check"))
        step_command(steps[-1], [str(BIN / "ruff"), "check", *lint_paths])
        banner("ruff format --check")
        steps.append(Step("ruff format"))
        step_command(steps[-1], [str(BIN / "ruff"), "format", "--check", *lint_paths])
        for package in p["packages"]:
            banner(f"mypy: {package}")
            steps.append(Step(f"mypy {package}"))
            step_command(
                steps[-1],
                [str(BIN / "mypy"), "-p", f"rhosocial.activerecord.backend.impl.{package}"],
            )
    if p["package_tests"]:
        for package in p["packages"]:
            own = [x for x in paths if package_of(x.split("::", 1)[0]) == package]
            if paths and not own:
                continue
            banner(f"package tests: {package}")
            steps.append(Step(f"tests {package}" + (" (unit)" if args.unit and not own else "")))
            step_package(steps[-1], package, args.unit, own, pytest_args)
    if p["faults"]:
        banner("fault suite: private servers, loopback proxy, bad values (shared-tests/faults)")
        steps.append(Step("fault suite"))
        _run_pytest(steps[-1], [REPO / "shared-tests" / "faults"], "faults", pytest_args)
    if p["suite"]:
        banner(f"testsuite matrix ({args.cells}): {len(p['cells'])} cell(s)")
        steps.append(Step("testsuite matrix"))
        step_suite(steps[-1], p["cells"], args.cells, pytest_args)

    banner(f"summary ({time.monotonic() - began:.0f}s)")
    rows = [("step", "result", "passed", "failed", "skipped", "time", "detail")]
    for s in steps:
        counted = s.passed or s.failed or s.skipped
        rows.append(
            (
                s.name,
                s.status,
                str(s.passed) if counted else "",
                str(s.failed) if counted else "",
                str(s.skipped) if counted else "",
                secs(s.seconds),
                s.detail,
            )
        )
    rows.append(("(all steps)", "", "", "", "", secs(time.monotonic() - began), ""))
    print_rows(rows)
    for s in steps:
        if s.extra.get("cells"):
            print()
            print_cells(s.extra["cells"])
    failed_steps = [s.name for s in steps if s.status not in ("ok", "skipped")]
    if not steps:
        print("\nnothing to run for these options")
    if failed_steps:
        print(f"\nFAILED steps: {', '.join(failed_steps)}")
    print(
        f"total: {sum(s.passed for s in steps)} passed, {sum(s.failed for s in steps)} failed, "
        f"{sum(s.skipped for s in steps)} skipped"
    )
    return 1 if failed_steps else 0


if __name__ == "__main__":
    sys.exit(main())
