"""cProfile of one extra sample per side, to show where the backend spends its time.

The profiled sample is not part of the timings (cProfile slows Python code several times
over, so the shares matter here, not the absolute times). Full dumps go to
``build/bench/profiles/`` for ``python -m pstats`` or snakeviz.
"""

from __future__ import annotations

import cProfile
import pstats
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .report import OUT_DIR

TOP = 15


def _name(func: tuple) -> str:
    filename, line, name = func
    if filename == "~":
        return name  # a builtin, e.g. <method 'execute' of 'psycopg_binary...' objects>
    parts = Path(filename).parts
    # Keep the path from the package root: rhosocial/..., psycopg/..., mysql/...
    for anchor in (
        "rhosocial",
        "psycopg",
        "psycopg_binary",
        "mysql",
        "pymysql",
        "aiomysql",
        "pydantic",
        "asyncio",
    ):
        if anchor in parts:
            parts = parts[parts.index(anchor) :]
            break
    else:
        parts = parts[-2:]
    return f"{'/'.join(parts)}:{line}({name})"


def profile_sample(run_sample: Callable[[], Any], dump_as: str) -> dict[str, Any]:
    prof = cProfile.Profile()
    prof.enable()
    try:
        run_sample()
    finally:
        prof.disable()
    out = OUT_DIR / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{dump_as}.prof"
    prof.dump_stats(path)
    stats = pstats.Stats(prof)
    total = stats.total_tt or 1e-12
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:TOP]
    top = [
        {
            "func": _name(func),
            "ncalls": nc,
            "tottime_pct": round(100 * tt / total, 1),
            "cumtime_pct": round(100 * ct / total, 1),
        }
        for func, (_cc, nc, tt, ct, _callers) in rows
    ]
    return {"total_s": total, "file": str(path), "top_tottime": top}


def cumulative(path: str, pattern: str) -> list[tuple[str, float]]:
    """Cumulative share of the functions whose name contains ``pattern`` (for reading dumps)."""
    stats = pstats.Stats(path)
    total = stats.total_tt or 1e-12
    return sorted(
        (
            (_name(f), round(100 * v[3] / total, 1))
            for f, v in stats.stats.items()
            if pattern in _name(f)
        ),
        key=lambda x: -x[1],
    )
