"""Output through the core's providers (rich table where rich is installed, JSON, CSV, TSV)."""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from rhosocial.activerecord.backend.output import (
    CsvOutputProvider,
    JsonOutputProvider,
    TsvOutputProvider,
)
from rhosocial.activerecord.backend.output_abc import OutputProvider


def create_provider(output: str, *, ascii_borders: bool = False) -> OutputProvider:
    """The core's provider for ``output``; "table" is rich's table, or JSON without rich."""
    if output == "table":
        try:
            from rich.console import Console

            from rhosocial.activerecord.backend.output_rich import RichOutputProvider
        except ImportError:  # rich is optional: the core falls back to JSON the same way
            return JsonOutputProvider()
        return RichOutputProvider(console=Console(), ascii_borders=ascii_borders)
    if output == "csv":
        return CsvOutputProvider()
    if output == "tsv":
        return TsvOutputProvider()
    return JsonOutputProvider()


def plain(value: Any) -> Any:
    """``value`` as JSON-able data: the core's info objects (pydantic models or dataclasses),
    enums by value, dates as ISO text, anything else as text."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "model_dump"):
        return plain(value.model_dump())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, datetime.timedelta, bytes)):
        return str(value)
    return str(value)


def _cell(value: Any) -> Any:
    """A table/CSV cell: nested data as compact JSON."""
    value = plain(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    return value


def show_rows(
    provider: OutputProvider, output: str, rows: Sequence[Mapping[str, Any]], title: str
) -> None:
    """Rows through the provider. No rows: ``[]`` in JSON (the core's JSON provider only logs
    "no data", which a script cannot read), the provider's message otherwise."""
    if not rows:
        if output == "json":
            sys.stdout.write("[]\n")
        else:
            provider.display_no_data()
        return
    if output == "json":
        data = [plain(dict(r)) for r in rows]
    else:
        data = [{k: _cell(v) for k, v in r.items()} for r in rows]
    provider.display_results(data, title=title)


def show_mapping(
    provider: OutputProvider, output: str, data: Mapping[str, Any], title: str
) -> None:
    """One nested mapping: JSON as it is; table/CSV/TSV as name/value rows."""
    if output == "json":
        sys.stdout.write(json.dumps(plain(data), indent=2, default=str) + "\n")
        return
    show_rows(provider, output, [{"name": k, "value": v} for k, v in data.items()], title)
