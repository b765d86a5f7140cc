"""``from_url()`` / ``to_url()`` parsing, written once for the three backends.

Forms accepted::

    postgresql://user:password@host:5432/database?sslmode=require&connect_timeout=3
    postgres://user@h1:5432,h2:5433/database?target_session_attrs=read-write   (multi-host)
    postgresql:///database?host=/var/run/postgresql                             (socket dir)
    mysql://user:password@host:3306/database?charset=utf8mb4&read_timeout=2.5
    mariadb://user@[::1]/database

User, password, host and database are percent-decoded. Query parameters are the options: each
is looked up in the backend's option table (:data:`POSTGRES_URL_OPTIONS`,
:data:`MYSQL_URL_OPTIONS`, or the backend's own), converted to its type, and an unknown name or
a bad value is a ``ValueError`` naming it. The result is a plain dict of our config keywords
(``host``, ``port``, ``hosts`` for several hosts, ``database``, ``username``, ``password``, and
each option's keyword), so a config class builds itself with ``cls(**parse_url(url))``.

:func:`to_url` writes the URL back from such a mapping, *never* with the password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from .values import (
    Converter,
    as_bool,
    as_int,
    as_mysql_ssl_mode,
    as_port,
    as_postgres_ssl_mode,
    as_seconds,
    as_str,
)

__all__ = [
    "SCHEMES",
    "UrlOption",
    "POSTGRES_URL_OPTIONS",
    "MYSQL_URL_OPTIONS",
    "parse_url",
    "to_url",
]

#: URL scheme -> family. ``postgres`` is libpq's short form.
SCHEMES: Mapping[str, str] = {
    "postgresql": "postgres",
    "postgres": "postgres",
    "mysql": "mysql",
    "mariadb": "mariadb",
}

_DEFAULT_SCHEME = {"postgres": "postgresql", "mysql": "mysql", "mariadb": "mariadb"}


@dataclass(frozen=True)
class UrlOption:
    """One query parameter: the config keyword it sets and the converter for its text."""

    keyword: str
    convert: Converter = as_str


_TIMEOUTS = {
    name: UrlOption(name, as_seconds)
    for name in ("connect_timeout", "statement_timeout", "lock_timeout", "read_timeout")
}

#: PostgreSQL: our names, plus libpq's where they differ (sslmode, sslrootcert, ...).
POSTGRES_URL_OPTIONS: Mapping[str, UrlOption] = {
    **_TIMEOUTS,
    "ssl_mode": UrlOption("ssl_mode", as_postgres_ssl_mode),
    "sslmode": UrlOption("ssl_mode", as_postgres_ssl_mode),
    "ssl_ca": UrlOption("ssl_ca"),
    "sslrootcert": UrlOption("ssl_ca"),
    "ssl_cert": UrlOption("ssl_cert"),
    "sslcert": UrlOption("ssl_cert"),
    "ssl_key": UrlOption("ssl_key"),
    "sslkey": UrlOption("ssl_key"),
    "application_name": UrlOption("application_name"),
    "target_session_attrs": UrlOption("target_session_attrs"),
    "options": UrlOption("pg_options"),
    "search_path": UrlOption("search_path"),
    "service": UrlOption("service"),
    "passfile": UrlOption("passfile"),
    "prepare_threshold": UrlOption("prepare_threshold", as_int),
}

#: MySQL and MariaDB.
MYSQL_URL_OPTIONS: Mapping[str, UrlOption] = {
    **_TIMEOUTS,
    "write_timeout": UrlOption("write_timeout", as_seconds),
    "ssl_mode": UrlOption("ssl_mode", as_mysql_ssl_mode),
    "ssl_ca": UrlOption("ssl_ca"),
    "ssl_cert": UrlOption("ssl_cert"),
    "ssl_key": UrlOption("ssl_key"),
    "ssl_verify_cert": UrlOption("ssl_verify_cert", as_bool),
    "ssl_verify_identity": UrlOption("ssl_verify_identity", as_bool),
    "charset": UrlOption("charset"),
    "collation": UrlOption("collation"),
    "time_zone": UrlOption("time_zone"),
    "sql_mode": UrlOption("sql_mode"),
    "init_command": UrlOption("init_command"),
    "unix_socket": UrlOption("unix_socket"),
    "read_default_file": UrlOption("read_default_file"),
}


def _split_host(item: str, url_name: str) -> tuple[str, int | None]:
    if item.startswith("["):  # [IPv6]:port
        end = item.find("]")
        if end < 0:
            raise ValueError(f"{url_name}: unclosed '[' in host {item!r}")
        host, rest = item[1:end], item[end + 1 :]
        if rest and not rest.startswith(":"):
            raise ValueError(f"{url_name}: unexpected {rest!r} after host [{host}]")
        port_text = rest[1:] if rest else ""
    else:
        host, _, port_text = item.partition(":")
    port = as_port(f"port in {url_name}", port_text) if port_text else None
    return unquote(host), port


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """``a=1&b=2`` percent-decoded. Not ``parse_qsl``: libpq reads ``+`` as a plus sign, not a
    space (``options=-c+x`` would otherwise change meaning)."""
    pairs = []
    for item in query.split("&"):
        if item:
            name, _, text = item.partition("=")
            pairs.append((unquote(name), unquote(text)))
    return pairs


def parse_url(
    url: str,
    *,
    options: Mapping[str, UrlOption] | None = None,
    family: str | None = None,
) -> dict[str, object]:
    """The config keywords of ``url`` (see the module docstring).

    ``family`` ("postgres", "mysql", "mariadb"), when given, refuses an URL of another family.
    ``options`` defaults to the table of the URL's family. Only what the URL says is in the
    result: a config's defaults stay the config's.
    """
    scheme, sep, rest = url.partition("://")
    url_family = SCHEMES.get(scheme.lower()) if sep else None
    if url_family is None:
        raise ValueError(
            f"not a database URL: expected one of {', '.join(s + '://' for s in SCHEMES)}"
        )
    if family is not None and url_family != family and {url_family, family} != {"mysql", "mariadb"}:
        raise ValueError(f"a {scheme}:// URL is not for the {family} backend")
    if options is None:
        options = POSTGRES_URL_OPTIONS if url_family == "postgres" else MYSQL_URL_OPTIONS
    url_name = f"{scheme}:// URL"  # never the URL itself: it may hold a password

    rest, _, _fragment = rest.partition("#")
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    result: dict[str, object] = {}

    userinfo, at, hostlist = netloc.rpartition("@")
    if at:
        user, colon, password = userinfo.partition(":")
        if user:
            result["username"] = unquote(user)
        if colon:
            result["password"] = unquote(password)
    hosts = [_split_host(item, url_name) for item in hostlist.split(",")] if hostlist else []
    if len(hosts) > 1 and url_family != "postgres":
        raise ValueError(f"{url_name}: several hosts are a PostgreSQL feature")
    if hosts:
        result["host"], port = hosts[0]
        if port is not None:
            result["port"] = port
        if len(hosts) > 1:
            result["hosts"] = tuple(hosts)
    if path:
        result["database"] = unquote(path)

    for name, text in _query_pairs(query):
        if name == "host":  # libpq: ?host= for a socket directory or a host list
            result["host"] = text
            continue
        if name == "port":
            result["port"] = as_port(f"?port= in {url_name}", text)
            continue
        option = options.get(name)
        if option is None:
            known = ", ".join(sorted(options))
            raise ValueError(f"unknown option {name!r} in {url_name}; known options: {known}")
        result[option.keyword] = option.convert(f"?{name}= in {url_name}", text)
    return result


def _url_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_url(
    settings: Mapping[str, object],
    *,
    family: str = "postgres",
    options: Mapping[str, UrlOption] | None = None,
) -> str:
    """The URL for ``settings`` (config keywords), *without the password*: only the keys of
    the non-secret parts are read, so no password can get in. Options whose keyword is in the
    family's table and whose value is not None go into the query, under our keyword names."""
    if options is None:
        options = POSTGRES_URL_OPTIONS if family == "postgres" else MYSQL_URL_OPTIONS
    scheme = _DEFAULT_SCHEME[family]
    user = settings.get("username")
    userinfo = f"{quote(str(user), safe='')}@" if user else ""

    def one(host: object, port: object) -> str:
        text = str(host)
        text = f"[{text}]" if ":" in text else quote(text, safe="")
        return f"{text}:{port}" if port is not None else text

    hosts = settings.get("hosts")
    if isinstance(hosts, (tuple, list)) and len(hosts) > 1:
        where = ",".join(one(h, p) for h, p in hosts)
    elif settings.get("host") is not None:
        where = one(settings["host"], settings.get("port"))
    else:
        where = ""
    database = settings.get("database")
    path = f"/{quote(str(database), safe='')}" if database else ""
    names: dict[str, str] = {}  # keyword -> query name: the keyword itself where it is one
    for name, option in options.items():
        if name == option.keyword or option.keyword not in names:
            names[option.keyword] = name
    query = "&".join(
        f"{names[key]}={quote(_url_text(settings[key]), safe='')}"
        for key in sorted(names)
        if settings.get(key) is not None
    )
    return f"{scheme}://{userinfo}{where}{path}" + (f"?{query}" if query else "")
