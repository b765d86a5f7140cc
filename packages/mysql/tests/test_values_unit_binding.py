"""Parameter binding without a server: what ``bind_parameters`` does with what the
real-server value tests do not reach."""

import pytest

from rhosocial.activerecord.backend.errors import TypeConversionError
from rhosocial.activerecord.backend.impl.mysql.adapters import DRIVER_TYPES, bind_parameters


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
