"""Parameter binding without a server: what ``bind_parameters`` and ``named_placeholders`` do
with the values and statement texts the real-server value tests do not reach."""

import pytest

from rhosocial.activerecord.backend.errors import TypeConversionError
from rhosocial.activerecord.backend.impl.mysql.adapters import DRIVER_TYPES, bind_parameters
from rhosocial.activerecord.backend.impl.mysql.sqltext import named_placeholders


def test_plain_values_are_bound_as_they_are_and_positions_count_from_one():
    converters = dict(DRIVER_TYPES)
    assert bind_parameters((1, "a", None, 2.5, b"x"), converters) == (1, "a", None, 2.5, b"x")
    with pytest.raises(TypeConversionError, match=r"row 7, parameter 3 \(complex\)"):
        bind_parameters((1, "a", 1j), converters, row=7)


def test_a_type_met_once_is_resolved_once():
    class Text(str):
        pass

    converters = dict(DRIVER_TYPES)
    assert type(bind_parameters((Text("x"),), converters)[0]) is str
    assert Text in converters  # cached: the next statement is one dict lookup per value


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT * FROM t WHERE a = %s", None),  # the common case: sent as it is
        ("SELECT '100%' FROM t WHERE a = %s", None),  # no %s in a quoted part
        ("INSERT INTO `pct %s %%` (a) VALUES (%s)", "INSERT INTO `pct %s %%` (a) VALUES (%(1)s)"),
        ("SELECT '%s', %s, %s -- %s", "SELECT '%s', %(1)s, %(2)s -- %s"),
        (
            'SELECT "a%sb" /* %s */ FROM t WHERE x = %s',
            'SELECT "a%sb" /* %s */ FROM t WHERE x = %(1)s',
        ),
        # a quoted part that reads as a named placeholder: neither form can be sent faithfully,
        # the text goes as it is and the driver reports the mismatch
        ("SELECT '%(1)s %s' FROM t WHERE x = %s", None),
    ],
)
def test_named_placeholders_only_where_a_quoted_part_holds_percent_s(sql, expected):
    assert named_placeholders(sql) == expected
