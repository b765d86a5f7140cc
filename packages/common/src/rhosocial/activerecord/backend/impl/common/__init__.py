"""Code shared by this repository's PostgreSQL, MySQL and MariaDB backends.

Nothing here imports a database driver. Each backend re-exports what its users need, so user
code never imports this package directly. One module per concern:

- ``errors``: the error vocabulary (classes, ``retryable``, SQLSTATE/errno lookups, aliases);
- ``commit``: COMMIT failures typed and still ``TransactionError``;
- ``classify``: may a statement be re-sent after a lost connection, must it go to a primary;
- ``url``, ``env``, ``values``, ``settings``: configuration from URLs, the environment and
  MySQL option files, as config keywords;
- ``timeouts``: float seconds, one validator;
- ``quiet``: the core's logging quiet unless the application configured it;
- ``redaction``: messages built without secrets;
- ``cli``: the command line of the three backends (``python -m ...impl.<name>``).
"""

__version__ = "0.1.0"
