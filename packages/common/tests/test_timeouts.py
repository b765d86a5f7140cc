from __future__ import annotations

import pytest

from rhosocial.activerecord.backend.impl.common.timeouts import (
    validate_timeout,
    validate_timeouts,
    whole_seconds,
)


@pytest.mark.parametrize("value, seconds", [(1, 1.0), (0.25, 0.25), ("2.5", 2.5), (None, None)])
def test_valid_values_are_float_seconds(value, seconds):
    assert validate_timeout("read_timeout", value) == seconds


@pytest.mark.parametrize(
    "value, fragment",
    [
        (0, "positive, finite"),
        (-1, "positive, finite"),
        (float("nan"), "positive, finite"),
        (float("inf"), "positive, finite"),
        ("soon", "must be a number of seconds, got 'soon'"),
        (True, "got bool"),
        ([1], "got list"),
    ],
)
def test_bad_values_name_the_setting(value, fragment):
    with pytest.raises(ValueError, match="^lock_timeout") as info:
        validate_timeout("lock_timeout", value)
    assert fragment in str(info.value)


@pytest.mark.parametrize("name", ["statement_timeout", "lock_timeout"])
def test_postgres_milliseconds_guard(name):
    assert validate_timeout(name, 999.5, legacy_milliseconds=True) == 999.5
    with pytest.raises(ValueError) as info:
        validate_timeout(name, 3000, legacy_milliseconds=True)
    message = str(info.value)
    assert message.startswith(f"{name}=3000")
    assert "now in seconds" in message and "milliseconds" in message and "write 3 for" in message
    # without the guard (the MySQL family, always seconds) 3000 s is a valid limit
    assert validate_timeout(name, 3000) == 3000.0


def test_guard_is_only_for_the_two_server_timeouts():
    assert validate_timeout("read_timeout", 5000, legacy_milliseconds=True) == 5000.0


def test_validate_timeouts_takes_the_four_names_only():
    got = validate_timeouts({"connect_timeout": "3", "read_timeout": None, "host": "x"})
    assert got == {"connect_timeout": 3.0, "read_timeout": None}


@pytest.mark.parametrize("seconds, minimum, whole", [(0.5, 2, 2), (2.1, 2, 3), (7.0, 1, 7)])
def test_whole_seconds_rounds_up(seconds, minimum, whole):
    assert whole_seconds(seconds, minimum) == whole
