"""Configuration from the environment and from MySQL option files.

Each reader returns a plain dict of our config keywords with only the settings it found, so a
config class merges them under its explicit keywords (``{**from_env, **kwargs}``). A bad value
is a ``ValueError`` naming the variable (or the option file and key).

- :func:`libpq_environment`: ``PGHOST``, ``PGPORT``, ``PGDATABASE``, ``PGUSER``, ``PGPASSWORD``,
  ``PGSSLMODE``, ``PGSSLROOTCERT``, ``PGSSLCERT``, ``PGSSLKEY``, ``PGCONNECT_TIMEOUT``,
  ``PGAPPNAME``, ``PGOPTIONS``, ``PGTARGETSESSIONATTRS``, ``PGSERVICE``, ``PGPASSFILE``.
  ``PGHOST``/``PGPORT`` may be comma lists (several hosts), as in libpq.
- :func:`mysql_client_environment`: the mysql client's ``MYSQL_HOST``, ``MYSQL_TCP_PORT``,
  ``MYSQL_PWD``.
- :func:`official_environment`: the variables of the official rhosocial backends:
  ``POSTGRES_HOST``/``_PORT``/``_DATABASE``/``_USER``/``_PASSWORD`` and ``MYSQL_HOST``/``_PORT``
  /``_DATABASE``/``_USER``/``_PASSWORD``/``_CHARSET``.
- :func:`read_option_files`: ``~/.my.cnf`` style files (``[client]`` group by default,
  ``!include``/``!includedir``), as the mysql client reads them.
- :func:`postgres_environment` / :func:`mysql_environment`: all of a family's sources merged,
  in the order of precedence documented on each.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from .values import (
    Converter,
    as_bool,
    as_mysql_ssl_mode,
    as_port,
    as_postgres_ssl_mode,
    as_seconds,
    as_str,
)

__all__ = [
    "LIBPQ_VARIABLES",
    "MYSQL_CLIENT_VARIABLES",
    "OFFICIAL_VARIABLES",
    "MYSQL_DEFAULT_OPTION_FILES",
    "libpq_environment",
    "mysql_client_environment",
    "official_environment",
    "read_option_files",
    "postgres_environment",
    "mysql_environment",
]

#: libpq variable -> (config keyword, converter). libpq reads these itself too, but only for
#: settings the connection string leaves out, and the config always sets host and port: that
#: is why PGPORT was ignored while PGDATABASE was used. Reading them here makes the config
#: show what the connection will use.
LIBPQ_VARIABLES: Mapping[str, tuple[str, Converter]] = {
    "PGHOST": ("host", as_str),
    "PGPORT": ("port", as_port),
    "PGDATABASE": ("database", as_str),
    "PGUSER": ("username", as_str),
    "PGPASSWORD": ("password", as_str),
    "PGSSLMODE": ("ssl_mode", as_postgres_ssl_mode),
    "PGSSLROOTCERT": ("ssl_ca", as_str),
    "PGSSLCERT": ("ssl_cert", as_str),
    "PGSSLKEY": ("ssl_key", as_str),
    "PGCONNECT_TIMEOUT": ("connect_timeout", as_seconds),
    "PGAPPNAME": ("application_name", as_str),
    "PGOPTIONS": ("pg_options", as_str),
    "PGTARGETSESSIONATTRS": ("target_session_attrs", as_str),
    "PGSERVICE": ("service", as_str),
    "PGPASSFILE": ("passfile", as_str),
}

MYSQL_CLIENT_VARIABLES: Mapping[str, tuple[str, Converter]] = {
    "MYSQL_HOST": ("host", as_str),
    "MYSQL_TCP_PORT": ("port", as_port),
    "MYSQL_PWD": ("password", as_str),
}

OFFICIAL_VARIABLES: Mapping[str, Mapping[str, tuple[str, Converter]]] = {
    "postgres": {
        "POSTGRES_HOST": ("host", as_str),
        "POSTGRES_PORT": ("port", as_port),
        "POSTGRES_DATABASE": ("database", as_str),
        "POSTGRES_USER": ("username", as_str),
        "POSTGRES_PASSWORD": ("password", as_str),
    },
    "mysql": {
        "MYSQL_HOST": ("host", as_str),
        "MYSQL_PORT": ("port", as_port),
        "MYSQL_DATABASE": ("database", as_str),
        "MYSQL_USER": ("username", as_str),
        "MYSQL_PASSWORD": ("password", as_str),
        "MYSQL_CHARSET": ("charset", as_str),
    },
}

#: The option file the mysql client reads from the user's home (the system-wide ones in /etc
#: configure the server machine, not this application, so they are not read by default).
MYSQL_DEFAULT_OPTION_FILES = ("~/.my.cnf",)

#: Option-file key (dashes and underscores are the same) -> (config keyword, converter).
_OPTION_FILE_KEYS: Mapping[str, tuple[str, Converter]] = {
    "host": ("host", as_str),
    "port": ("port", as_port),
    "user": ("username", as_str),
    "password": ("password", as_str),
    "database": ("database", as_str),
    "socket": ("unix_socket", as_str),
    "ssl_ca": ("ssl_ca", as_str),
    "ssl_cert": ("ssl_cert", as_str),
    "ssl_key": ("ssl_key", as_str),
    "ssl_mode": ("ssl_mode", as_mysql_ssl_mode),
    "ssl_verify_server_cert": ("ssl_verify_identity", as_bool),
    "connect_timeout": ("connect_timeout", as_seconds),
    "default_character_set": ("charset", as_str),
    "init_command": ("init_command", as_str),
}


def _read(
    environ: Mapping[str, str], table: Mapping[str, tuple[str, Converter]]
) -> dict[str, object]:
    result: dict[str, object] = {}
    for variable, (keyword, convert) in table.items():
        text = environ.get(variable)
        if text:  # libpq and the mysql client treat an empty variable as unset
            result[keyword] = convert(variable, text)
    return result


def libpq_environment(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The libpq variables that are set, as config keywords. A comma list in ``PGHOST``
    (and ``PGPORT``, one port or one per host) also gives ``hosts``."""
    env = os.environ if environ is None else environ
    host_list = [h.strip() for h in env.get("PGHOST", "").split(",") if h.strip()]
    port_list = [p.strip() for p in env.get("PGPORT", "").split(",") if p.strip()]
    single = {k: v for k, v in env.items() if k not in ("PGHOST", "PGPORT")}
    result = _read(single, LIBPQ_VARIABLES)
    ports = [as_port("PGPORT", p) for p in port_list]
    if len(ports) > 1 and len(ports) != len(host_list):
        raise ValueError(
            f"PGPORT lists {len(ports)} ports for {len(host_list)} hosts in PGHOST; "
            "give one port, or one per host"
        )
    if host_list:
        result["host"] = host_list[0]
    if ports:
        result["port"] = ports[0]
    if len(host_list) > 1:
        per_host = ports if len(ports) > 1 else [ports[0] if ports else None] * len(host_list)
        result["hosts"] = tuple(zip(host_list, per_host, strict=True))
    return result


def mysql_client_environment(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The mysql client's ``MYSQL_HOST``, ``MYSQL_TCP_PORT`` and ``MYSQL_PWD`` that are set."""
    return _read(os.environ if environ is None else environ, MYSQL_CLIENT_VARIABLES)


def official_environment(
    family: str, environ: Mapping[str, str] | None = None
) -> dict[str, object]:
    """The official backends' ``POSTGRES_*`` (family "postgres") or ``MYSQL_*`` (family "mysql"
    or "mariadb") variables that are set."""
    table = OFFICIAL_VARIABLES["postgres" if family == "postgres" else "mysql"]
    return _read(os.environ if environ is None else environ, table)


def _option_lines(path: Path, seen: set[Path]) -> Iterable[tuple[Path, int, str]]:
    resolved = path.resolve()
    if resolved in seen:  # an include cycle: read each file once
        return
    seen.add(resolved)
    with open(path, encoding="utf-8") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.strip()
            if line.startswith("!include "):
                yield from _option_lines(path.parent / line[len("!include ") :].strip(), seen)
            elif line.startswith("!includedir "):
                folder = path.parent / line[len("!includedir ") :].strip()
                for item in sorted(folder.glob("*.cnf")):
                    yield from _option_lines(item, seen)
            else:
                yield path, number, line


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    value, _, _comment = value.partition(" #")
    return value.strip()


def read_option_files(
    paths: Iterable[str | os.PathLike[str]], groups: Iterable[str] = ("client",)
) -> dict[str, object]:
    """The settings of ``groups`` in MySQL option files, later files and later lines winning
    (as the mysql client reads them). Missing files are skipped; keys we have no setting for
    are ignored, as the client ignores other programs' keys; a bad value is a ``ValueError``
    naming the file, line and key."""
    wanted = {g.lower() for g in groups}
    result: dict[str, object] = {}
    for entry in paths:
        path = Path(os.path.expanduser(os.fspath(entry)))
        if not path.is_file():
            continue
        group = None
        for source, number, line in _option_lines(path, set()):
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                group = line[1:-1].strip().lower()
                continue
            if group not in wanted:
                continue
            key, eq, value = line.partition("=")
            key = key.strip().lower().replace("-", "_")
            spec = _OPTION_FILE_KEYS.get(key)
            if spec is None:
                continue
            keyword, convert = spec
            text = _unquote(value.strip()) if eq else "true"
            result[keyword] = convert(f"{key} in {source} line {number}", text)
    return result


def postgres_environment(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """PostgreSQL settings from the environment: libpq's variables, then the official backend's
    ``POSTGRES_*`` over them (a deployment that sets those meant them for this library)."""
    env = os.environ if environ is None else environ
    return {**libpq_environment(env), **official_environment("postgres", env)}


def mysql_environment(
    environ: Mapping[str, str] | None = None,
    *,
    option_files: Iterable[str | os.PathLike[str]] = MYSQL_DEFAULT_OPTION_FILES,
    groups: Iterable[str] = ("client",),
) -> dict[str, object]:
    """MySQL/MariaDB settings, each source over the one before: the option files (``[client]``
    of ``~/.my.cnf`` by default; pass ``read_default_file`` here, or ``()`` for none), the
    mysql client's variables, the official backend's ``MYSQL_*``."""
    env = os.environ if environ is None else environ
    return {
        **read_option_files(option_files, groups),
        **mysql_client_environment(env),
        **official_environment("mysql", env),
    }
