"""From the parsed options to a config: environment < named connection < command line.

Errors here are usage errors (exit 2): a bad environment variable, a setting the config has no
field for, a value the config refuses. Their messages come from the shared readers and the
config, which name the setting and never quote a password.
"""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import math
import sys
from typing import Any

from ..redaction import describe_target
from ..settings import config_kwargs
from .spec import CliSpec


class UsageError(Exception):
    """A problem with what the user gave us: exit 2, one line."""


#: Options that are connection settings: option dest -> shared setting name.
CONNECTION_OPTIONS = {
    "host": "host",
    "port": "port",
    "username": "username",
    "database": "database",
    "ssl_mode": "ssl_mode",
    "ssl_ca": "ssl_ca",
    "connect_timeout": "connect_timeout",
    "charset": "charset",
}


def _fit(config_cls: type, kwargs: dict[str, object]) -> dict[str, object]:
    """A float of seconds for a field the config keeps as whole seconds (libpq's
    ``connect_timeout``) is rounded up, as libpq itself would need."""
    types = {f.name: str(f.type) for f in dataclasses.fields(config_cls)}
    for name, value in kwargs.items():
        kind = types.get(name, "")
        if isinstance(value, float) and "int" in kind and "float" not in kind:
            kwargs[name] = math.ceil(value)
    return kwargs


def _keywords(spec: CliSpec, settings: dict[str, object], source: str) -> dict[str, object]:
    cls = spec.config_class
    fields = {f.name for f in dataclasses.fields(cls)}
    renames = {k: v for k, v in spec.renames.items() if k not in fields and v in fields}
    try:
        return _fit(cls, config_kwargs(settings, cls, renames=renames, source=source))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _explicit(args: argparse.Namespace) -> dict[str, object]:
    return {
        name: getattr(args, dest)
        for dest, name in CONNECTION_OPTIONS.items()
        if getattr(args, dest, None) is not None
    }


def _conn_params(args: argparse.Namespace) -> dict[str, str]:
    params = {}
    for item in getattr(args, "connection_params", None) or ():
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise UsageError(
                f"--conn-param takes KEY=VALUE; got one without '=' (parameter {key!r})"
                if not eq
                else "--conn-param takes KEY=VALUE; the KEY is empty"
            )
        params[key] = value
    return params


def _password(spec: CliSpec, args: argparse.Namespace, target: str) -> str | None:
    """The password of the command line, if any: a given value (with the warning), or the
    prompt (on a terminal only; never waiting on a closed or redirected stdin)."""
    given = getattr(args, "password", None)
    if given is not None:
        print(
            "warning: a password on the command line is visible to other users "
            f"of this machine (ps, /proc); prefer {spec.habits.password_variable} or a bare "
            "--password to be prompted",
            file=sys.stderr,
        )
        return str(given)
    if not getattr(args, "password_prompt", False):
        return None
    stdin = sys.stdin
    if stdin is None or stdin.closed or not stdin.isatty():
        raise UsageError(
            "--password without a value prompts for it, and stdin is not a terminal; set "
            f"{spec.habits.password_variable} instead"
        )
    try:
        return getpass.getpass(f"Password for {target}: ")
    except (EOFError, KeyboardInterrupt):
        raise UsageError("no password entered") from None


def resolve_config(spec: CliSpec, args: argparse.Namespace) -> Any:
    """The config the command connects with."""
    explicit = _explicit(args)
    params = _conn_params(args)
    name = getattr(args, "named_connection", None)
    if name:
        from rhosocial.activerecord.backend.named_connection import NamedConnectionResolver

        try:
            config = NamedConnectionResolver(name).load().resolve(params)
        except Exception as exc:  # noqa: BLE001 - the resolver raises several kinds; all are the user's input
            raise UsageError(f"named connection {name}: {exc}") from None
        if not isinstance(config, spec.config_class):
            raise UsageError(
                f"named connection {name} gives a {type(config).__name__}, not a "
                f"{spec.config_class.__name__}"
            )
        overrides = _keywords(spec, explicit, "the command line")
    else:
        if params:
            raise UsageError("--conn-param sets parameters of a --named-connection; give one")
        try:
            environment = spec.habits.environment()
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        config = None
        overrides = _keywords(
            spec, {**environment, **explicit}, "the environment or the command line"
        )

    def part(key: str) -> Any:
        return overrides.get(key, getattr(config, key, None))

    target = describe_target(
        host=part("host"), port=part("port"), database=part("database"), username=part("username")
    )
    password = _password(spec, args, target)
    if password is not None:
        overrides["password"] = password
    try:
        if config is not None:
            named: Any = config  # the resolver types it as the core's BaseConfig
            return dataclasses.replace(named, **overrides)
        return spec.config_class(**overrides)
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from None


def target_of(config: Any) -> str:
    """``user@host:port/database`` of a config, for messages (no password: by construction)."""
    return describe_target(
        host=getattr(config, "host", None),
        port=getattr(config, "port", None),
        database=getattr(config, "database", None),
        username=getattr(config, "username", None),
    )
