"""Workloads and paired timing.

Each workload is timed in samples of ``ops`` operations. In every round each side (raw,
backend, model) takes one sample, the order reversed on odd rounds, so raw and backend always
run next to each other and drift on a noisy machine hits both. Samples are kept short (tens of
milliseconds) so that a pair sees the same machine; the verdict uses the median of the paired
ratios, which cancels load that changes between rounds, and the ratio of the two medians is
reported next to it. The first round is a warm-up
(psycopg prepares statements after five runs, pools fill, caches warm). Every sample is
checked afterwards (row counts, rows returned), untimed, so a side cannot win by doing less.
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import statistics
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import profiling
from .data import BULK_ROWS, QUERY_LIMIT, QUERY_MIN_QTY, SEED_ROWS, Tables, make_rows
from .sides import BackendAsync, BackendSync, ModelAsync, ModelSync
from .stacks import Stack


@dataclass(frozen=True)
class Workload:
    name: str
    method: str  # the side's method
    ops: int  # operations per timed sample
    target: float  # the backend/raw ratio the backend API must stay under


WORKLOADS = (
    Workload("insert_one", "insert_one", 20, 1.15),
    Workload("find_by_pk", "find_by_pk", 50, 1.15),
    Workload("query_100", "query_page", 10, 1.15),
    Workload("insert_10k", "insert_many", 1, 1.30),
)


class Runner:
    """Runs the workloads for one stack in one mode (sync or async)."""

    def __init__(
        self,
        stack: Stack,
        mode: str,
        rounds: int,
        only: set[str] | None = None,
        profile: bool = False,
    ):
        self.stack, self.mode, self.rounds, self.profile = stack, mode, rounds, profile
        self.workloads = [w for w in WORKLOADS if not only or w.name in only]
        self.loop = asyncio.new_event_loop() if mode == "async" else None
        self.tables = Tables.for_run(stack.family, stack.ph)

    # -- sync/async glue: the only place the two modes differ -------------------------------
    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        res = fn(*args)
        return self.loop.run_until_complete(res) if inspect.isawaitable(res) else res

    def _timed(self, side: Any, method: str, calls: list[tuple]) -> tuple[float, float, Any]:
        """(wall seconds, this process's CPU seconds, last result) of one sample."""
        fn = getattr(side, method)
        if self.loop is None:
            last = None
            t0, c0 = time.perf_counter(), time.process_time()
            for args in calls:
                last = fn(*args)
            return time.perf_counter() - t0, time.process_time() - c0, last

        async def body() -> tuple[float, float, Any]:
            last = None
            t0, c0 = time.perf_counter(), time.process_time()
            for args in calls:
                last = await fn(*args)
            return time.perf_counter() - t0, time.process_time() - c0, last

        return self.loop.run_until_complete(body())

    # -- setup ---------------------------------------------------------------------------------
    def _sides(self, raw_bulk: str) -> list[Any]:
        s, t = self.stack, self.tables
        if self.mode == "sync":
            return [
                s.raw_sync(t, raw_bulk),
                BackendSync(s.backend_cls, s.config, t),
                ModelSync(s.backend_cls, s.config, t),
            ]
        return [
            s.raw_async(t, raw_bulk),
            BackendAsync(s.async_backend_cls, s.config, t),
            ModelAsync(s.async_backend_cls, s.config, t),
        ]

    def _calls(self, w: Workload, ids: list[int]) -> list[tuple]:
        aware = self.stack.aware
        if w.name == "insert_one":
            return [(row,) for row in make_rows(w.ops, aware, start=SEED_ROWS)]
        if w.name == "find_by_pk":
            return [(ids[(i * 7) % len(ids)],) for i in range(w.ops)]
        if w.name == "query_100":
            return [(QUERY_MIN_QTY, QUERY_LIMIT)] * w.ops
        return [(make_rows(BULK_ROWS, aware, start=SEED_ROWS),)]

    def _count(self, admin: Any) -> int:
        return admin.run(f"SELECT COUNT(*) FROM {self.tables.write}")[0][0]

    def _check(self, w: Workload, admin: Any, before: int, last: Any) -> None:
        """Untimed proof that the sample did the work."""
        if w.name == "insert_one":
            got, want = self._count(admin) - before, w.ops
        elif w.name == "insert_10k":
            got, want = self._count(admin), BULK_ROWS
        elif w.name == "find_by_pk":
            got, want = int(last is not None), 1
        else:
            got, want = len(last), QUERY_LIMIT
        if got != want:
            raise AssertionError(f"{w.name}: expected {want}, got {got}")

    def _calibrate_bulk(self, admin: Any) -> dict[str, float]:
        """Time each raw 10,000-row path; the fastest is the raw baseline."""
        rows = make_rows(BULK_ROWS, self.stack.aware)
        medians = {}
        for path in self.stack.bulk_paths:
            raw = self._sides(path)[0]
            self._call(raw.open)
            try:
                times = []
                for _ in range(4):
                    admin.run(self.tables.empty(self.tables.write))
                    times.append(self._timed(raw, "insert_many", [(rows,)])[0])
                medians[path] = statistics.median(times[1:])
            finally:
                self._call(raw.close)
        return medians

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        t = self.tables
        admin = self.stack.raw_sync(t, "executemany")
        admin.open()
        out: dict[str, Any] = {"mode": self.mode, "results": []}
        try:
            for table in (t.read, t.write):
                admin.run(t.drop(table))
                admin.run(t.create(table))
            admin.seed(make_rows(SEED_ROWS, self.stack.aware))
            ids = [r[0] for r in admin.run(f"SELECT id FROM {t.read} ORDER BY id")]
            if (
                any(w.name == "insert_10k" for w in self.workloads)
                and len(self.stack.bulk_paths) > 1
            ):
                medians = self._calibrate_bulk(admin)
                out["raw_bulk_calibration_s"] = medians
                raw_bulk = min(medians, key=medians.get)
            else:
                raw_bulk = self.stack.bulk_paths[0]
            out["raw_bulk_path"] = raw_bulk
            sides = self._sides(raw_bulk)
            opened = []
            try:
                self._call(sides[0].open)  # without the raw baseline there is nothing to compare
                opened.append(sides[0])
                for side in sides[1:]:
                    try:
                        self._call(side.open)
                        opened.append(side)
                    except Exception as e:  # a backend still being written: report, go on
                        out.setdefault("errors", {})[side.label] = _err(e)
                for w in self.workloads:
                    out["results"].append(self._workload(w, opened, admin, ids))
            finally:
                for side in opened:
                    try:
                        self._call(side.close)
                    except Exception:
                        pass
        finally:
            for table in (t.read, t.write):
                admin.run(t.drop(table))
            admin.close()
            if self.loop is not None:
                self.loop.close()
        return out

    def _workload(self, w: Workload, sides: list[Any], admin: Any, ids: list[int]) -> dict:
        calls = self._calls(w, ids)
        samples: dict[str, list[float]] = {s.label: [] for s in sides}
        cpu: dict[str, list[float]] = {s.label: [] for s in sides}
        errors: dict[str, str] = {}
        admin.run(self.tables.empty(self.tables.write))
        # A 10,000-row sample is long on its own (the model side takes seconds): fewer rounds.
        rounds = max(3, self.rounds // 4) if w.name == "insert_10k" else self.rounds
        for rnd in range(1 + rounds):
            for side in sides if rnd % 2 == 0 else sides[::-1]:
                if side.label in errors:
                    continue
                if w.name == "insert_10k":
                    admin.run(self.tables.empty(self.tables.write))
                before = self._count(admin) if w.name == "insert_one" else 0
                gc.collect()
                try:
                    dt, dcpu, last = self._timed(side, w.method, calls)
                    self._check(w, admin, before, last)
                except Exception as e:
                    errors[side.label] = _err(e)
                    continue
                if rnd > 0:
                    samples[side.label].append(dt / w.ops)
                    cpu[side.label].append(dcpu / w.ops)
        res = _summarise(w, sides[0].label, samples, cpu, errors)
        if self.profile:
            res["profile"] = self._profile(
                w, [s for s in sides if s.label not in errors], admin, calls
            )
        return res

    def _profile(self, w: Workload, sides: list[Any], admin: Any, calls: list[tuple]) -> dict:
        out = {}
        for side in sides:
            if w.name == "insert_10k":
                admin.run(self.tables.empty(self.tables.write))
            name = f"{self.stack.package}-{self.mode}-{w.name}-{side.label.replace(' ', '_')}"
            out[side.label] = profiling.profile_sample(
                lambda side=side: self._timed(side, w.method, calls), name
            )
        return out


def _err(e: BaseException) -> str:
    last = traceback.extract_tb(e.__traceback__)[-1:] if e.__traceback__ else []
    where = f" at {last[0].filename.rsplit('/', 1)[-1]}:{last[0].lineno}" if last else ""
    return f"{type(e).__name__}: {e}"[:300] + where


def _summarise(
    w: Workload,
    raw_label: str,
    samples: dict[str, list[float]],
    cpu: dict[str, list[float]],
    errors: dict[str, str],
) -> dict:
    res: dict[str, Any] = {"workload": w.name, "ops_per_sample": w.ops, "target": w.target}
    med = {k: statistics.median(v) for k, v in samples.items() if v}
    cpu_med = {k: statistics.median(v) for k, v in cpu.items() if v}
    for label, values in samples.items():
        key = "raw" if label == raw_label else label
        res[key] = {
            "label": label,
            "median_s": med.get(label),
            "samples_s": values,
            "cpu_median_s": cpu_med.get(label),
            "cpu_samples_s": cpu[label],
        }
    if errors:
        res["errors"] = errors
    raw = med.get(raw_label)
    for side in ("backend", "model"):
        if raw and side in med:
            res[f"{side}_ratio"] = med[side] / raw
            pairs = [b / r for b, r in zip(samples[side], samples[raw_label], strict=False)]
            res[f"{side}_paired_ratio_median"] = statistics.median(pairs)
            # CPU this process spends per operation on top of the raw driver: the client-side
            # cost of the layer, unaffected by server time and much less by machine load.
            res[f"{side}_cpu_overhead_s"] = cpu_med[side] - cpu_med[raw_label]
    # A side that failed part-way has samples that no longer pair up: no verdict then.
    res["pass"] = (
        "backend_paired_ratio_median" in res
        and not ({raw_label, "backend"} & errors.keys())
        and res["backend_paired_ratio_median"] <= w.target
    )
    return res
