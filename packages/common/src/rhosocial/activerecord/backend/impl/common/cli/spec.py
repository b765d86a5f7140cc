"""What a backend package tells the shared command line about itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..env import mysql_environment, postgres_environment
from ..values import Converter, as_mysql_ssl_mode, as_postgres_ssl_mode


@dataclass(frozen=True)
class Family:
    """The native client's habits of a family: its short options (psql; the mysql client),
    its environment reader, the variables the help lists, its TLS mode names."""

    short: Mapping[str, str]
    environment: Callable[[], dict[str, object]]
    variables: str
    password_variable: str
    ssl_mode: Converter


FAMILIES: Mapping[str, Family] = {
    "postgres": Family(
        # psql: -W forces the prompt and takes no value (-p is the port there).
        short={"host": "-h", "port": "-p", "user": "-U", "database": "-d", "prompt": "-W"},
        environment=postgres_environment,
        variables="PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT, "
        "PGCONNECT_TIMEOUT, PGAPPNAME, ...; over them POSTGRES_HOST, POSTGRES_PORT, "
        "POSTGRES_DATABASE, POSTGRES_USER, POSTGRES_PASSWORD",
        password_variable="PGPASSWORD",
        ssl_mode=as_postgres_ssl_mode,
    ),
    "mysql": Family(
        # the mysql client: -pSECRET (attached) or -p alone to be prompted; -P is the port.
        short={"host": "-h", "port": "-P", "user": "-u", "database": "-D", "password": "-p"},
        environment=mysql_environment,
        variables="~/.my.cnf [client]; over it MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_PWD; over "
        "them MYSQL_HOST, MYSQL_PORT, MYSQL_DATABASE, MYSQL_USER, MYSQL_PASSWORD, MYSQL_CHARSET",
        password_variable="MYSQL_PWD",
        ssl_mode=as_mysql_ssl_mode,
    ),
}


@dataclass(frozen=True)
class CliSpec:
    """One backend package's description.

    ``family`` is "postgres" or "mysql" (MariaDB is of the mysql family: same client habits,
    same variables). ``renames`` maps a shared setting name (``ssl_mode``, ``ssl_ca``, ...) to
    the config's own field where the config keeps another name (``sslmode``).
    """

    distribution: str
    module: str
    product: str
    family: str
    config_class: type
    backend_class: type
    async_backend_class: type
    version: str
    renames: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.family not in FAMILIES:
            raise ValueError(f"unknown family {self.family!r}")

    @property
    def prog(self) -> str:
        return f"python -m {self.module}"

    @property
    def habits(self) -> Family:
        return FAMILIES[self.family]
