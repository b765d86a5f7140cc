"""Type adapters for the MySQL/MariaDB family, and the suggestion map the ORM consults.

What the drivers do not round-trip on their own:
- aware datetimes: DATETIME has no zone, so values are stored as UTC (naive) and come back with
  UTC attached; microseconds survive because our DDL uses DATETIME(6);
- TIME comes back as ``timedelta`` (it may exceed 24h or be negative), models want ``time``;
- BOOL is TINYINT(1) and comes back as ``int``;
- JSON is LONGTEXT on MariaDB and may arrive as ``str`` or ``bytes`` on both flavours;
- UUID is CHAR(36) (or MariaDB's native UUID, which also speaks text);
- Decimal must never pass through float.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any

from rhosocial.activerecord.backend.type_adapter import BaseSQLTypeAdapter

_UTC = timezone.utc


_ZERO = timedelta(0)


def to_utc_naive(value: datetime) -> datetime:
    """Aware -> the same instant as naive UTC; naive values are taken to be UTC already."""
    if value.tzinfo is None:
        return value
    if value.utcoffset() == _ZERO:
        return value.replace(tzinfo=None)
    return value.astimezone(_UTC).replace(tzinfo=None)


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


#: adapter class -> the plain function its ``to_database`` amounts to, for the per-parameter hot
#: path (the adapter's generic entry point costs more than the conversion itself).
FAST_TO_DATABASE: dict[type, Any] = {}


def timedelta_to_time(value: timedelta) -> time:
    """A TIME value within one day as ``time``; longer or negative spans cannot be a ``time``."""
    if value < timedelta(0) or value >= timedelta(days=1):
        raise ValueError(f"TIME value {value} is outside 00:00:00..23:59:59.999999")
    seconds = value.days * 86400 + value.seconds
    return time(seconds // 3600, (seconds // 60) % 60, seconds % 60, value.microseconds)


class MySQLDateTimeAdapter(BaseSQLTypeAdapter):
    """datetime/date/time <-> DATETIME(6)/DATE/TIME(6)."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(datetime, datetime)
        self._register_type(date, date)
        self._register_type(time, time)

    def _do_to_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if isinstance(value, datetime):
            return to_utc_naive(value)
        if isinstance(value, time) and value.tzinfo is not None:
            return value.replace(tzinfo=None)
        return value

    def _do_from_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if target_type is datetime:
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            elif type(value) is date:
                value = datetime(value.year, value.month, value.day)
            if isinstance(value, datetime):
                return value if value.tzinfo is not None else value.replace(tzinfo=_UTC)
            return value
        if target_type is time:
            if isinstance(value, timedelta):
                return timedelta_to_time(value)
            if isinstance(value, str):
                return time.fromisoformat(value)
            return value
        if target_type is date:
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, str):
                return date.fromisoformat(value)
        return value


class MySQLBooleanAdapter(BaseSQLTypeAdapter):
    """bool <-> TINYINT(1)."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(bool, int)

    def _do_to_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        return 1 if value else 0

    def _do_from_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if isinstance(value, (bytes, bytearray)):  # BIT(1)
            return any(value)
        if isinstance(value, str):
            return value.strip().lower() in ("1", "true", "t", "yes", "y", "on")
        return bool(value)


class MySQLDecimalAdapter(BaseSQLTypeAdapter):
    """Decimal <-> DECIMAL without a detour through float."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(Decimal, Decimal)

    def _do_to_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        return value

    def _do_from_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if isinstance(value, Decimal):
            return value
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, (bytes, bytearray)):
            value = value.decode()
        return Decimal(value)


class MySQLJSONAdapter(BaseSQLTypeAdapter):
    """dict/list <-> JSON (a real type on MySQL, LONGTEXT on MariaDB: both speak text)."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(dict, str)
        self._register_type(list, str)

    def _do_to_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        return _json_dumps(value)

    def _do_from_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if isinstance(value, (bytes, bytearray)):
            value = value.decode("utf-8")
        if isinstance(value, str):
            return json.loads(value)
        return value


class MySQLUUIDAdapter(BaseSQLTypeAdapter):
    """UUID <-> CHAR(36) / MariaDB UUID (text form) / BINARY(16)."""

    def __init__(self) -> None:
        super().__init__()
        self._register_type(uuid.UUID, str)

    def _do_to_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if target_type is bytes:
            return value.bytes
        return str(value)

    def _do_from_database(self, value: Any, target_type: type, options: dict | None) -> Any:
        if isinstance(value, uuid.UUID):
            return value
        if isinstance(value, (bytes, bytearray)):
            if len(value) == 16:
                return uuid.UUID(bytes=bytes(value))
            value = value.decode("ascii")
        return uuid.UUID(str(value))


FAST_TO_DATABASE.update(
    {
        MySQLBooleanAdapter: lambda v: 1 if v else 0,
        MySQLJSONAdapter: _json_dumps,
        MySQLUUIDAdapter: str,
    }
)


def family_adapters() -> list[BaseSQLTypeAdapter]:
    """One instance of each family adapter (a backend registers them once)."""
    return [
        MySQLDateTimeAdapter(),
        MySQLBooleanAdapter(),
        MySQLDecimalAdapter(),
        MySQLJSONAdapter(),
        MySQLUUIDAdapter(),
    ]


#: python type -> driver-side type the suggestion map points at.
SUGGESTED_DB_TYPES: dict[type, type] = {
    datetime: datetime,
    date: date,
    time: time,
    bool: int,
    Decimal: Decimal,
    dict: str,
    list: str,
    uuid.UUID: str,
}
