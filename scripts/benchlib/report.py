"""The terminal table and ``build/bench/<package>.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .servers import REPO

OUT_DIR = REPO / "build" / "bench"


def _t(seconds: float | None, signed: bool = False) -> str:
    if seconds is None:
        return "-"
    sign = "+" if signed and seconds >= 0 else ""
    if abs(seconds) >= 1e-3:
        return f"{sign}{seconds * 1e3:.2f} ms"
    return f"{sign}{seconds * 1e6:.0f} us"


def _x(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def _scrub(text: str, secrets: list[str]) -> str:
    """Error texts come from drivers: never let a password through."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def table(report: dict[str, Any], secrets: list[str]) -> str:
    """One line per workload and mode; times are medians per operation (per 10,000 rows for
    insert_10k). "paired": median of backend/raw per round (the verdict); "medians": ratio of
    the two medians; "+cpu/op": CPU time this process spends per operation beyond raw."""
    head = (
        "workload",
        "mode",
        "raw",
        "backend",
        "paired",
        "medians",
        "target",
        "",
        "+cpu/op",
        "model",
        "model/raw",
    )
    rows = [head]
    for run in report["runs"]:
        for r in run["results"]:
            ok = (
                "pass" if r["pass"] else ("ERROR" if r.get("errors", {}).get("backend") else "FAIL")
            )
            rows.append(
                (
                    r["workload"],
                    run["mode"],
                    _t((r.get("raw") or {}).get("median_s")),
                    _t((r.get("backend") or {}).get("median_s")),
                    _x(r.get("backend_paired_ratio_median")),
                    _x(r.get("backend_ratio")),
                    f"<={r['target']:.2f}x",
                    ok,
                    _t(r.get("backend_cpu_overhead_s"), signed=True),
                    _t((r.get("model") or {}).get("median_s")),
                    _x(r.get("model_paired_ratio_median")),
                )
            )
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = []
    for run in report["runs"]:
        for label, msg in run.get("errors", {}).items():
            notes.append(f"  {run['mode']} {label}: could not open: {msg}")
        for r in run["results"]:
            for label, msg in r.get("errors", {}).items():
                notes.append(f"  {run['mode']} {r['workload']} {label}: {msg}")
    for mode, why in report.get("skipped_modes", {}).items():
        notes.append(f"  {mode}: skipped: {why}")
    if notes:
        lines += ["", "notes:", *notes]
    return _scrub("\n".join(lines), secrets)


def write(report: dict[str, Any], secrets: list[str]) -> Path:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{report['package']}.json"
    path.write_text(_scrub(json.dumps(report, indent=2, default=str), secrets) + "\n")
    return path
