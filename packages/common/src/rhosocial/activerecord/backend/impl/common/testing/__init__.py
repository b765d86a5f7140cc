"""Fixtures the three packages' tests share (importable by name: the core resolves migrations by
their dotted path)."""
