"""A small shop on rhosocial-activerecord: the demo application of this repository.

``python -m shop`` (from ``examples/``) runs it on every backend whose server answers; see
``examples/README.md``.
"""
