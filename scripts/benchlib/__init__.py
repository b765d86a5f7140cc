"""Benchmark harness: raw driver vs backend API vs ActiveRecord model, in one process.

Run it through ``scripts/bench``. Modules, one concern each:

- ``servers``   which server to talk to (scenario file or local defaults)
- ``data``      the bench tables, their DDL per SQL family, the rows we write
- ``raw``       the raw driver baselines (autocommit, tuple rows, bound parameters)
- ``sides``     the backend API side and the ActiveRecord model side
- ``stacks``    per package: which raw driver, which backend classes
- ``runner``    workloads and paired timing (sync and async)
- ``report``    the table on the terminal and ``build/bench/<package>.json``
- ``profiling`` cProfile of the backend side, to find its hot path
"""
