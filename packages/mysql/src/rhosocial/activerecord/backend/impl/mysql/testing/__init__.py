"""Backend contract tests of the MySQL/MariaDB family, shared by the family's packages.

Each package's own test suite subclasses the contract classes and provides two fixtures,
``backend_factory`` (sync) and ``async_backend_factory``, so every family backend is held to the
same real-server checks without copying them. Not imported by the backends themselves.
"""
