"""Backend contract tests of the MySQL/MariaDB family, shared by the family's packages.

Each package's own test suite subclasses the contract classes and provides two fixtures,
``backend_factory`` (sync) and ``async_backend_factory``, so every family backend is held to the
same real-server checks without copying them. It lives in the repository's tests, not in the
wheel: the MySQL package's tests import it from their own folder, the MariaDB package's conftest
puts ``packages/mysql/tests`` on ``sys.path``. The server comes from the scenario file
(``AR_SCENARIOS_FILE``, else ``build/servers/scenarios.json`` of the checkout).
"""
