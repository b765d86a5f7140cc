"""The argument parser: the official CLIs' options, the native clients' short options.

``-h`` is the host on all three packages (psql and the mysql client both use it so), so help is
``--help`` only, on the program and on every command.

Connection options are accepted before the command and after it: the copies on the commands
default to ``SUPPRESS`` so that a value given before the command is not reset by the command's
default (argparse copies a sub-command's namespace over the main one).
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ..values import as_port, as_seconds
from .spec import CliSpec

OUTPUT_FORMATS = ("table", "json", "csv", "tsv")
COMMANDS = (
    "info",
    "ping",
    "query",
    "introspect",
    "status",
    "named-connection",
    "named-expression",
    "named-procedure",
    "named-procedure-graph",
    "named-migration",
)
INTROSPECT_TYPES = (
    "tables",
    "views",
    "table",
    "columns",
    "indexes",
    "foreign-keys",
    "triggers",
    "database",
)
STATUS_TYPES = (
    "all",
    "config",
    "performance",
    "connections",
    "storage",
    "databases",
    "users",
    "session",
)
#: What a bare ``--password`` (and the family's prompt flag) becomes before parsing: the
#: password is only taken from an attached value (``--password=...``, mysql's ``-p...``), so
#: ``--password query ...`` never swallows the command as a password.
PROMPT_FLAG = "--password-prompt"


class CliParser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (exit 2) and never echo an unknown command
    word (it may be a password typed after a bare ``--password``)."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("argument COMMAND: invalid choice"):
            message = f"unknown command; the commands are {', '.join(COMMANDS)}"
        self.exit(2, f"error: {message} (see {self.prog} --help)\n")


class _SubParsers(argparse._SubParsersAction):  # type: ignore[type-arg]  # typeshed types it generic, argparse registers the bare class
    """Commands without ``-h`` (the host): ``--help`` only."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser:
        kwargs["add_help"] = False
        parser: argparse.ArgumentParser = super().add_parser(name, **kwargs)
        parser.add_argument("--help", action="help", help="show this help and exit")
        return parser


def _checked(convert: Callable[[str, str], object], name: str) -> Callable[[str], object]:
    """An argparse ``type`` from a shared converter: its ValueError names the option."""

    def parse(text: str) -> object:
        try:
            return convert(name, text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = name
    return parse


def _log_level(name: str, text: str) -> int:
    level = logging.getLevelName(text.upper())
    if not isinstance(level, int):
        raise ValueError(f"{name}: not a logging level; use DEBUG, INFO, WARNING or ERROR")
    return level


def connection_parent(spec: CliSpec, *, suppress: bool) -> CliParser:
    """Connection, output and mode options, as a parent parser (also for the core's
    named-* commands, which take one)."""
    default: Any = argparse.SUPPRESS if suppress else None
    short = spec.habits.short
    p = CliParser(add_help=False)
    g = p.add_argument_group("connection")

    def flags(long: str, key: str) -> list[str]:
        return [long, short[key]] if key in short else [long]

    g.add_argument(*flags("--host", "host"), default=default, help="server host")
    g.add_argument(
        *flags("--port", "port"), type=_checked(as_port, "--port"), default=default, help="port"
    )
    g.add_argument(*flags("--user", "user"), dest="username", default=default, help="user name")
    g.add_argument(*flags("--database", "database"), default=default, help="database name")
    g.add_argument(
        *flags("--password", "password"),
        default=default,
        metavar="PASSWORD",
        help="--password alone prompts (on a terminal only); --password=VALUE works but is "
        f"visible to other users of this machine: prefer {spec.habits.password_variable}"
        + (" (-pVALUE / -p as in the mysql client)" if "password" in short else ""),
    )
    prompt = [PROMPT_FLAG] + ([short["prompt"]] if "prompt" in short else [])
    g.add_argument(
        *prompt,
        dest="password_prompt",
        action="store_true",
        default=default,
        help=f"{short['prompt']}: prompt for the password, as psql does"
        if "prompt" in short
        else argparse.SUPPRESS,
    )
    ssl_mode = ["--ssl-mode"] + (["--sslmode"] if spec.family == "postgres" else [])
    g.add_argument(
        *ssl_mode,
        dest="ssl_mode",
        type=_checked(spec.habits.ssl_mode, "--ssl-mode"),
        default=default,
        help="TLS mode (libpq's names on PostgreSQL, the mysql client's on the family)",
    )
    ssl_ca = ["--ssl-ca"] + (["--sslrootcert"] if spec.family == "postgres" else [])
    g.add_argument(
        *ssl_ca, dest="ssl_ca", metavar="FILE", default=default, help="CA certificate file"
    )
    if spec.family == "mysql":
        g.add_argument("--charset", default=default, help="connection character set")
    g.add_argument(
        "--connect-timeout",
        type=_checked(as_seconds, "--connect-timeout"),
        metavar="SECONDS",
        default=default,
        help="how long connecting may take",
    )
    g.add_argument(
        "--named-connection",
        metavar="QUALIFIED_NAME",
        default=default,
        help="a named connection (module.name) as the core defines them",
    )
    g.add_argument(
        "--conn-param",
        dest="connection_params",
        action="append",
        metavar="KEY=VALUE",
        default=default,
        help="a parameter of the named connection (repeatable)",
    )
    o = p.add_argument_group("output and mode")
    o.add_argument("-o", "--output", choices=OUTPUT_FORMATS, default=default)
    o.add_argument("--rich-ascii", action="store_true", default=default, help="ASCII table borders")
    o.add_argument(
        "--use-async",
        action="store_true",
        default=default,
        help=f"use {spec.async_backend_class.__name__}",
    )
    o.add_argument(
        "--log-level",
        metavar="LEVEL",
        type=_checked(_log_level, "--log-level"),
        default=default,
        help="DEBUG shows every statement; default: quiet",
    )
    return p


def prompt_tokens(spec: CliSpec, argv: Sequence[str]) -> list[str]:
    """``argv`` with each password option made unambiguous before parsing.

    ``--password VALUE`` (the official CLIs' form) and ``--password=VALUE`` carry a value; a
    ``--password`` that ends the line, or is followed by an option or a command name, prompts.
    The mysql client's ``-p`` takes only an attached value (``-pVALUE``); a bare ``-p``
    prompts, as in the mysql client. So a bare ``--password`` never swallows the command.
    """
    bare_short = spec.habits.short.get("password")
    out: list[str] = []
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--":
            return out + tokens[i:]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if token == "--password":
            if nxt is None or nxt.startswith("-") or nxt in COMMANDS:
                out.append(PROMPT_FLAG)
            else:
                out.append(f"--password={nxt}")
                i += 1
        elif bare_short is not None and token == bare_short:
            out.append(PROMPT_FLAG)
        else:
            out.append(token)
        i += 1
    return out


def build_parser(spec: CliSpec) -> CliParser:
    conn_top = connection_parent(spec, suppress=False)
    conn_sub = connection_parent(spec, suppress=True)
    parser = CliParser(
        prog=spec.prog,
        add_help=False,
        parents=[conn_top],
        description=f"{spec.distribution} {spec.version}: the command line of the "
        f"{spec.product} backend ({spec.module}).",
        epilog=f"Environment: {spec.habits.variables}. Exit codes: 0 success, 1 database "
        "error, 2 usage error.",
    )
    parser.add_argument("--help", action="help", help="show this help and exit")
    parser.add_argument(
        "--version", action="version", version=f"{spec.distribution} {spec.version}"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", action=_SubParsers)

    sub.add_parser("info", parents=[conn_sub], help="server, driver, database and user")
    sub.add_parser("ping", parents=[conn_sub], help="exit 0 when the server answers; says why not")
    q = sub.add_parser("query", parents=[conn_sub], help="run one statement, values bound")
    q.add_argument("sql", nargs="?", help="the statement (or -f FILE)")
    q.add_argument("params", nargs="*", help="values bound to the %%s placeholders, in order")
    q.add_argument(
        "-f", "--file", metavar="FILE", help="read the statement from FILE (- or no SQL: stdin)"
    )
    i = sub.add_parser("introspect", parents=[conn_sub], help="tables, columns, indexes, ...")
    i.add_argument("type", choices=INTROSPECT_TYPES)
    i.add_argument(
        "name", nargs="?", help="the table (for table, columns, indexes, foreign-keys, triggers)"
    )
    i.add_argument("--schema", help="schema (PostgreSQL) or database (MySQL family)")
    i.add_argument("--include-system", action="store_true")
    i.add_argument(
        "--json", dest="output", action="store_const", const="json", help="same as -o json"
    )
    s = sub.add_parser(
        "status", parents=[conn_sub], help="server status (settings, connections, ...)"
    )
    s.add_argument("type", nargs="?", default="all", choices=STATUS_TYPES)
    s.add_argument(
        "--json", dest="output", action="store_const", const="json", help="same as -o json"
    )

    from .named import add_named_commands

    add_named_commands(sub, conn_sub)
    return parser
