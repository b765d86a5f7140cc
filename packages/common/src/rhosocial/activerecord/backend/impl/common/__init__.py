"""Code shared by this repository's PostgreSQL, MySQL and MariaDB backends.

Nothing here imports a database driver. Each backend re-exports what its users need, so user
code never imports this package directly.
"""

__version__ = "0.1.0"
