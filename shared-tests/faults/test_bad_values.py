"""Bad values: a faithful round trip, or a clear core error with nothing stored; either way the
connection is still usable afterwards."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from faultlib.bounds import QUICK
from faultlib.targets import make_handle, new_table, run_body

from rhosocial.activerecord.backend import errors as core

UTC = dt.timezone.utc
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
PACKET = 2 * 1024 * 1024  # twice the private MariaDB's max_allowed_packet (1 MiB)

# (column type, value); the id names the case.
CASES = {
    "nul-in-text": ("text", "a\x00b"),
    "lone-surrogate": ("text", "a\ud800b"),
    "too-long-for-varchar10": ("short", "x" * 11),
    "over-max-allowed-packet": ("text", "y" * PACKET),
    "object": ("text", object()),
    "complex": ("text", complex(1, 2)),
    "str-into-bigint": ("int", "12abc"),
    "int-overflow": ("int", 2**63),
    "int-underflow": ("int", -(2**63) - 1),
    "huge-int": ("int", 10**40),
    "nan": ("float", math.nan),
    "inf": ("float", math.inf),
    "-inf": ("float", -math.inf),
    "naive-datetime": ("datetime", dt.datetime(2024, 1, 2, 3, 4, 5, 678901)),
    "non-utc-datetime": ("datetime", dt.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=IST)),
    "nul-bytes-in-blob": ("blob", b"\x00\xff\x00"),
}

# What must be an error: the family has no NaN/infinity; no backend converts an arbitrary
# object (issue 7 items 3 and 4: TypeConversionError, before anything is sent).
MUST_BE_TYPE_ERROR = {
    ("mysql", "nan"),
    ("mysql", "inf"),
    ("mysql", "-inf"),
    ("mariadb", "nan"),
    ("mariadb", "inf"),
    ("mariadb", "-inf"),
    ("mariadb", "object"),
    ("mariadb", "complex"),
}

_SURROGATE = (
    "issue 7 (kept suite, bad values; no item 1-8 covers it): a lone surrogate raises a bare "
    "UnicodeEncodeError ('surrogates not allowed'), not a core error"
)
# Still failing on today's code (each seen failing; strict, so a fix must remove its line).
# Fixed and removed: issue 7 items 3 (NaN/infinity), 4 (any object as its str()) and 8 (over
# max_allowed_packet), and the lone surrogate on mariadb.
XFAIL = {
    ("postgres", "lone-surrogate"): _SURROGATE,
}


def _same(value, got) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(value, dt.datetime) and isinstance(got, dt.datetime):
        # Read without column adapters, the family's DATETIME(6) gives the stored UTC instant
        # as a naive value (the ORM's adapters attach UTC); a naive value is taken as UTC.
        as_utc = [x if x.tzinfo else x.replace(tzinfo=UTC) for x in (value, got)]
        return got == value or as_utc[0] == as_utc[1]
    if isinstance(value, (bytes, bytearray, memoryview)) and got is not None:
        return bytes(got) == bytes(value)
    return got == value


@pytest.mark.parametrize("case", list(CASES))
def test_bad_value_round_trips_or_fails_clearly(request, pkg, mode, case, server, admin):
    reason = XFAIL.get((pkg.name, case))
    if reason:
        request.applymarker(pytest.mark.xfail(strict=True, reason=reason))
    kind, value = CASES[case]
    table = new_table()
    admin.run(f"CREATE TABLE {pkg.q(table)} (k INT PRIMARY KEY, v {pkg.types[kind]})")
    q = pkg.q(table)

    # Whether the server's "packet too big" reply or the reset that follows it is read first
    # is a race on loopback: twelve tries make "the limit is named" a property of the code, not
    # of the race (before the fix about half the tries lost the message: issue 7 item 8).
    tries = 12 if case == "over-max-allowed-packet" else 1

    async def body():
        h = make_handle(pkg, mode, pkg.config(server))
        await h.connect()
        results = []
        for k in range(1, tries + 1):
            try:
                await h.execute(f"INSERT INTO {q} (k, v) VALUES (%s, %s)", (k, value))
            except Exception as exc:
                results.append((k, exc, None))
                continue
            row = await h.fetch_one(f"SELECT v FROM {q} WHERE k = %s", (k,))
            results.append((k, None, row and row["v"]))
        usable = await h.fetch_one("SELECT 5 AS five")
        await h.disconnect()
        return results, usable

    results, usable = run_body(body, QUICK * 3 * tries)
    stored = {k for (k,) in admin.rows(f"SELECT k FROM {q}")}
    admin.run(f"DROP TABLE {q}")
    assert usable == {"five": 5}, "the connection is not usable after the value"
    for k, error, got in results:
        if (pkg.name, case) in MUST_BE_TYPE_ERROR:
            assert isinstance(error, core.TypeConversionError), (
                f"wanted TypeConversionError, got {type(error).__name__}: {error}; "
                f"read back {got!r}"
            )
        if error is not None:
            assert isinstance(error, core.DatabaseError), f"{type(error).__mro__}: {error}"
            assert k not in stored, f"{type(error).__name__} raised, yet the row is stored"
            if case == "over-max-allowed-packet":
                assert "max_allowed_packet" in str(error), f"the limit is not named: {error}"
        else:
            assert k in stored
            assert _same(value, got), f"stored {value!r:.80}, read back {got!r:.80}"


@pytest.mark.parametrize("pkg", ["mysql", "mariadb"], indirect=True)
def test_four_byte_character_into_a_utf8mb3_column(pkg, mode, server, admin):
    """Issue 7 item 9: a 4-byte character sent to a utf8mb3 column is a clear error (or stored
    faithfully), never silently truncated."""
    table = new_table()
    q = pkg.q(table)
    admin.run(f"CREATE TABLE {q} (k INT PRIMARY KEY, v VARCHAR(20) CHARACTER SET utf8mb3)")
    value = "a\U0001f600b"

    async def body():
        h = make_handle(pkg, mode, pkg.config(server))
        await h.connect()
        try:
            await h.execute(f"INSERT INTO {q} (k, v) VALUES (1, %s)", (value,))
        except Exception as exc:
            error = exc
        else:
            error = None
        usable = await h.fetch_one("SELECT 5 AS five")
        await h.disconnect()
        return error, usable

    error, usable = run_body(body, QUICK * 3)
    stored = admin.rows(f"SELECT v FROM {q}")
    admin.run(f"DROP TABLE {q}")
    assert usable == {"five": 5}
    if error is None:
        assert stored == [(value,)], f"stored {stored!r}, sent {value!r}"
    else:
        assert isinstance(error, core.DatabaseError), f"{type(error).__mro__}: {error}"
        assert stored == []
