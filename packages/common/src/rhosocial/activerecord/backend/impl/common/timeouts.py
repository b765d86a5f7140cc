"""Timeouts: float seconds, under one name each, in every backend's config.

``statement_timeout``, ``lock_timeout``, ``read_timeout`` and ``connect_timeout`` are seconds
(``float``; ``None`` means no limit) in all three packages. :func:`validate_timeout` checks one
value; :func:`validate_timeouts` checks the four fields of a config. PostgreSQL's
``statement_timeout``/``lock_timeout`` used to be milliseconds: for one release a value of 1000
or more there is refused with a message naming the unit change (``legacy_milliseconds=True``),
so a config written for the old unit fails loudly instead of waiting 1000 times longer.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

__all__ = [
    "TIMEOUT_SETTINGS",
    "MILLISECONDS_GUARD",
    "validate_timeout",
    "validate_timeouts",
    "whole_seconds",
]

#: The timeout settings every backend config has, all in seconds.
TIMEOUT_SETTINGS = ("statement_timeout", "lock_timeout", "read_timeout", "connect_timeout")

#: The settings that were milliseconds in PostgresConnectionConfig before this release.
MILLISECONDS_GUARD = frozenset({"statement_timeout", "lock_timeout"})

_GUARD_LIMIT = 1000.0


def validate_timeout(
    name: str, value: object, *, legacy_milliseconds: bool = False
) -> float | None:
    """``value`` as float seconds, or None; ``ValueError`` naming ``name`` when it is not a
    positive finite number (bool is refused: ``True`` is not a duration). A numeric string
    ("2.5", as from an URL or the environment) is accepted.

    With ``legacy_milliseconds`` (PostgreSQL's statement_timeout/lock_timeout, one release),
    1000 or more is refused: it was almost surely written in the old milliseconds.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(
            f"{name} must be a number of seconds, got {type(value).__name__} {value!r}"
        )
    try:
        seconds = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, got {value!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{name} must be a positive, finite number of seconds, got {value!r}")
    if legacy_milliseconds and name in MILLISECONDS_GUARD and seconds >= _GUARD_LIMIT:
        raise ValueError(
            f"{name}={value!r}: {name} is now in seconds (it was milliseconds before this "
            f"release); write {seconds / 1000:g} for {value} ms, or for a limit of 1000 s or "
            "more, pass it in the options as a server setting"
        )
    return seconds


def validate_timeouts(
    values: Mapping[str, object], *, legacy_milliseconds: bool = False
) -> dict[str, float | None]:
    """The four timeout settings of ``values`` validated (absent ones are left out)."""
    return {
        name: validate_timeout(name, values[name], legacy_milliseconds=legacy_milliseconds)
        for name in TIMEOUT_SETTINGS
        if name in values
    }


def whole_seconds(seconds: float, minimum: int = 1) -> int:
    """The whole seconds to give a driver that only takes integers (libpq's connect_timeout,
    2 s minimum): rounded up, at least ``minimum``. The backend's own bound enforces the
    fraction; the driver's value only has to be no shorter."""
    return max(minimum, math.ceil(seconds))
