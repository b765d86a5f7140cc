"""From the plain mappings of :mod:`.url` and :mod:`.env` to a config class's keywords."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

__all__ = ["config_kwargs"]


def config_kwargs(
    settings: Mapping[str, object],
    config_cls: type,
    *,
    renames: Mapping[str, str] | None = None,
    source: str = "the settings",
) -> dict[str, object]:
    """``settings`` as keywords of the dataclass ``config_cls``: each key renamed through
    ``renames`` (for a config that keeps another name, e.g. ``{"ssl_mode": "sslmode"}``), and a
    ``ValueError`` naming every key the config has no field for (``source`` says where they
    came from: "the URL", "the environment")."""
    if not dataclasses.is_dataclass(config_cls):
        raise TypeError(f"{config_cls.__name__} is not a dataclass")
    fields = {f.name for f in dataclasses.fields(config_cls) if f.init}
    names = renames or {}
    result: dict[str, object] = {}
    unknown = []
    for key, value in settings.items():
        name = names.get(key, key)
        if name in fields:
            result[name] = value
        else:
            unknown.append(key)
    if unknown:
        raise ValueError(
            f"{config_cls.__name__} has no setting for {', '.join(sorted(unknown))} "
            f"(given by {source})"
        )
    return result
