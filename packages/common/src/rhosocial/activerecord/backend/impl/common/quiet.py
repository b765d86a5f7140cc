"""Quiet by default: the core's logging defaults, changed in this one place.

Why a 4-statement script printed about 30 lines: the core's ``LoggingConfig()`` defaults are
level DEBUG, ``propagate=False`` and ``auto_setup=True`` (its own ``StreamHandler`` on stderr),
and *every* model and backend class gets its own ``LoggingConfig()`` (``__init_subclass__`` of
the two logging mixins), which sets those on each logger it hands out. So the application's
``logging.basicConfig(...)``, ``logging.getLogger("rhosocial").setLevel(...)`` and even the
core's ``configure_logging(WARNING)`` (which changes only the default config) change nothing.

:func:`quiet_core_logging` (called once when a backend package is imported) makes the core
behave like any library: its loggers have no level of their own (NOTSET: the application's
levels apply), propagate to the application's handlers, and get no handler of their own.
With no logging configured, nothing is printed; with standard logging configuration the
records appear where the application sends them.

What it checks, and changes only when the check holds ("the application has not configured
the core's logging itself"):

1. The core's default config (``get_default_logging_config()``) still has the core's values
   (level DEBUG, propagate False, auto_setup True, no per-logger configs). If not, the
   application configured it: the function changes nothing at all.
2. ``LoggingConfig.__init__``'s defaults for ``default_level``/``propagate``/``auto_setup`` are
   still DEBUG/False/True: they become NOTSET/True/False, so configs created later (the
   application's model classes) are quiet too.
3. Every config that exists already (the default one and each class's) and still has the
   core's values gets NOTSET/True/False.
4. A logger those configs already set up, whose handlers are only the core's own stderr handler
   (a ``StreamHandler`` on stderr with the core's formatter), loses that handler and gets
   NOTSET and propagation. A logger with any other handler is left as it is.
5. ``rhosocial.activerecord`` gets a ``logging.NullHandler`` (the standard library's advice for
   libraries) if it has no handler, so the core's warnings do not reach Python's last-resort
   stderr handler when the application has configured nothing.

Showing the SQL is standard logging configuration, e.g.::

    logging.basicConfig(level=logging.DEBUG)                    # everything, SQL included

    logging.basicConfig()                                       # or only the ORM's records:
    logging.getLogger("rhosocial.activerecord").setLevel(logging.DEBUG)

A backend used through a model logs on the model's logger (the core sets ``backend.logger =
Model.get_logger()``, named ``<module>.<Model>`` for your models), so with the second form
also set DEBUG on your models' module logger (``logging.getLogger("myapp.models")``).
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from types import FunctionType

from rhosocial.activerecord.logging.config import LoggingConfig
from rhosocial.activerecord.logging.defaults import _ROOT_LOGGER, get_default_logging_config
from rhosocial.activerecord.logging.formatter import ActiveRecordFormatter
from rhosocial.activerecord.logging.mixin import BackendLoggingMixin, LoggingMixin

__all__ = ["quiet_core_logging"]

_CORE = {"default_level": logging.DEBUG, "propagate": False, "auto_setup": True}
_QUIET = {"default_level": logging.NOTSET, "propagate": True, "auto_setup": False}

_lock = threading.Lock()
_done = False


def _pristine(config: LoggingConfig) -> bool:
    return (
        config.default_level == logging.DEBUG
        and config.propagate is False
        and config.auto_setup is True
        and not config.loggers
        and type(config.formatter) is ActiveRecordFormatter
    )


def _configs() -> Iterator[LoggingConfig]:
    yield get_default_logging_config()
    seen: set[type] = set()
    stack: list[type] = [LoggingMixin, BackendLoggingMixin]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        config = cls.__dict__.get("__logging_config__")
        if isinstance(config, LoggingConfig):
            yield config
        stack.extend(cls.__subclasses__())


def _patch_constructor_defaults() -> None:
    init = LoggingConfig.__init__
    if not isinstance(init, FunctionType) or not init.__defaults__:
        return  # not the dataclass constructor we know: leave it
    code = init.__code__
    names = code.co_varnames[1 : code.co_argcount]
    defaults = list(init.__defaults__)
    offset = len(names) - len(defaults)
    for name, core_value in _CORE.items():
        if name not in names or names.index(name) < offset:
            return
        if defaults[names.index(name) - offset] != core_value:
            return  # someone changed them already
    for name, value in _QUIET.items():
        defaults[names.index(name) - offset] = value
    init.__defaults__ = tuple(defaults)


def _is_core_handler(handler: logging.Handler) -> bool:
    return (
        type(handler) is logging.StreamHandler
        and getattr(handler, "stream", None) is sys.stderr
        and isinstance(handler.formatter, ActiveRecordFormatter)
    )


def quiet_core_logging() -> bool:
    """Make the core's logging quiet unless the application configured it (module docstring).
    Idempotent and thread-safe; True when it changed something."""
    global _done
    with _lock:
        if _done:
            return False
        _done = True
        if not _pristine(get_default_logging_config()):
            return False
        _patch_constructor_defaults()
        names: set[str] = set()
        for config in _configs():
            if not _pristine(config):
                continue
            names.update(config._configured_loggers)
            for key, value in _QUIET.items():
                setattr(config, key, value)  # the core's __setattr__ resets its logger cache
        for name in names:
            logger = logging.getLogger(name)
            if logger.handlers and all(_is_core_handler(h) for h in logger.handlers):
                for handler in list(logger.handlers):
                    logger.removeHandler(handler)
                logger.setLevel(logging.NOTSET)
                logger.propagate = True
        root = logging.getLogger(_ROOT_LOGGER)
        if not root.handlers:
            root.addHandler(logging.NullHandler())
        return True
