"""scripts/test after the bootstrap: every check of the workspace, all of them, then a table.

Steps: servers up, schema checks (+ actionlint), ruff, each package's own tests (one pytest
session per package, JUnit XML in build/test-results/), the testsuite matrix
(shared-tests/run_matrix.py). A failing step never stops the later ones; the exit code is
non-zero when any step failed. The last line is a plain "total: N passed, N failed, N skipped".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
# AR_RESULTS_DIR: somewhere else than build/test-results (e.g. a trial run beside a real one).
RESULTS = Path(os.environ.get("AR_RESULTS_DIR") or REPO / "build" / "test-results").resolve()
PACKAGES = ["postgres", "mysql", "mariadb"]
PY = sys.executable  # the .venv interpreter: scripts/test execs us with it


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
    print("$ " + " ".join(argv), flush=True)
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


def step_command(step: Step, argv: list[str]) -> None:
    started = time.monotonic()
    rc = run(argv)
    step.seconds = time.monotonic() - started
    step.status = "ok" if rc == 0 else "FAILED"
    step.detail = "" if rc == 0 else f"exit {rc}"


def step_package(step: Step, package: str, unit_only: bool) -> None:
    tests = REPO / "packages" / package / "tests"
    targets = [tests]
    if unit_only:  # unit tests need no server: tests/unit/ or tests/test_unit_*.py
        targets = (
            [tests / "unit"] if (tests / "unit").is_dir() else sorted(tests.glob("test_unit*.py"))
        )
    if not targets or not targets[0].exists():
        step.status = "FAILED"
        step.detail = f"no {'unit ' if unit_only else ''}tests in {tests.relative_to(REPO)}"
        return
    xml = RESULTS / f"package--{package}.xml"
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
            f"junit_suite_name=package-{package}",
        ],
        env={"PYTHONDONTWRITEBYTECODE": "1"},
    )
    step.seconds = time.monotonic() - started
    if xml.exists():
        _, step.failed, step.skipped, step.passed = junit_counts(xml)
    if rc == 5:  # pytest: nothing collected. A package without tests is a defect, say so.
        step.status, step.detail = "FAILED", "pytest collected no tests (exit 5)"
    elif rc == 0:
        step.status = "ok"
    else:
        step.status, step.detail = "FAILED", f"pytest exit {rc}"


def cells_of(packages: list[str], kind: str) -> list[str]:
    """The declared cells (shared-tests/cells.toml) of `packages`; [] means every cell."""
    if not packages:
        return []
    try:
        import tomllib
    except ImportError:  # Python 3.10: pytest depends on tomli there
        import tomli as tomllib
    declared = tomllib.loads((REPO / "shared-tests" / "cells.toml").read_text()).get(kind, {})
    return [f"{p}:{server}" for p in packages for server in declared.get(p, [])]


def step_suite(step: Step, args: argparse.Namespace) -> None:
    runner = REPO / "shared-tests" / "run_matrix.py"
    if not runner.exists():
        step.status, step.detail = "FAILED", "shared-tests/run_matrix.py is missing"
        return
    argv = [PY, str(runner.relative_to(REPO)), "--cells", args.cells, "--results-dir", str(RESULTS)]
    for only in args.only or cells_of(args.package, args.cells):
        argv += ["--only", only]
    step_command(step, argv)
    summary = RESULTS / "summary.json"
    if summary.exists() and summary.stat().st_mtime >= time.time() - step.seconds - 5:
        data = json.loads(summary.read_text())
        cells = data.get("cells", data) if isinstance(data, dict) else data
        step.extra["cells"] = cells
        for cell in cells:
            step.passed += int(cell.get("passed", 0))
            step.failed += int(cell.get("failed", 0)) + int(cell.get("errors", 0))
            step.skipped += int(cell.get("skipped", 0))
    elif step.status == "ok":
        step.status, step.detail = "FAILED", "run_matrix.py wrote no summary.json"


def print_cells(cells: list[dict]) -> None:
    rows = [("package", "server", "version", "result", "collected", "passed", "failed", "skipped")]
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
            )
        )
    print_rows(rows)


def print_rows(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/test", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--package",
        action="append",
        choices=PACKAGES,
        default=[],
        help="only this package's own tests (repeatable; default: all three)",
    )
    parser.add_argument("--no-servers", action="store_true", help="do not run scripts/servers up")
    parser.add_argument("--no-lint", action="store_true", help="skip schema checks and ruff")
    parser.add_argument("--no-package-tests", action="store_true")
    parser.add_argument(
        "--unit", action="store_true", help="package tests from tests/unit only (no server needed)"
    )
    parser.add_argument("--no-suite", action="store_true", help="skip the testsuite matrix")
    parser.add_argument(
        "--cells",
        default="local",
        choices=["local", "docker"],
        help="which matrix run_matrix.py runs (default: local)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PACKAGE:SERVER",
        help="run only this testsuite cell (repeatable)",
    )
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    steps: list[Step] = []
    began = time.monotonic()

    if not args.no_servers:
        banner("servers")
        steps.append(Step("servers up"))
        step_command(steps[-1], [str(REPO / "scripts" / "servers"), "up"])
    if not args.no_lint:
        banner("schema checks + actionlint")
        steps.append(Step("schemas/actionlint"))
        step_command(steps[-1], [str(REPO / "scripts" / "lib" / "check-schemas")])
        banner("ruff")
        steps.append(Step("ruff check"))
        step_command(steps[-1], [PY, "-m", "ruff", "check", "."])
    if not args.no_package_tests:
        for package in args.package or PACKAGES:
            banner(f"package tests: {package}")
            steps.append(Step(f"tests {package}" + (" (unit)" if args.unit else "")))
            step_package(steps[-1], package, args.unit)
    if not args.no_suite:
        banner(f"testsuite matrix ({args.cells})")
        steps.append(Step("testsuite matrix"))
        step_suite(steps[-1], args)

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
                f"{s.seconds:.0f}s",
                s.detail,
            )
        )
    print_rows(rows)
    for s in steps:
        if s.extra.get("cells"):
            print()
            print_cells(s.extra["cells"])
    failed_steps = [s.name for s in steps if s.status != "ok"]
    if failed_steps:
        print(f"\nFAILED steps: {', '.join(failed_steps)}")
    print(
        f"total: {sum(s.passed for s in steps)} passed, {sum(s.failed for s in steps)} failed, "
        f"{sum(s.skipped for s in steps)} skipped"
    )
    return 1 if failed_steps else 0


if __name__ == "__main__":
    sys.exit(main())
