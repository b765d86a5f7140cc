"""Typed failures at COMMIT (issue 7, item 6).

The core's ``TransactionManager.commit()`` (and the async one) wraps *every* exception of
``_do_commit()``/``_do_release_savepoint()`` in a plain ``TransactionError("Failed to commit
transaction: ...")``, so a deadlock, serialization failure or deferred-constraint violation at
COMMIT is visible only on ``__cause__``, and ``except DeadlockError`` misses it.

:func:`typed_commit_error` turns that wrapper into an instance of *both* the typed class of the
COMMIT statement's error (its ``retryable`` flag, SQLSTATE/errno, constraint, table copied) and
the core's ``TransactionError``, so ``except TransactionError`` keeps working. The class is
built once per typed class and cached. :func:`typed_commit_failures` is the same as a context
manager, for a backend's transaction manager (sync and async alike)::

    class PostgresTransactionManager(TransactionManager):
        def commit(self) -> None:
            with typed_commit_failures():
                super().commit()

    class AsyncPostgresTransactionManager(AsyncTransactionManager):
        async def commit(self) -> None:
            with typed_commit_failures():
                await super().commit()

A lost connection at COMMIT is special: the server may or may not have committed, so running
the transaction again could apply it twice. That error keeps its class (ConnectionLostError)
but is ``retryable=False`` and says that the outcome is unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rhosocial.activerecord.backend import errors as core

from .errors import BackendError, ConnectionLostError

__all__ = ["commit_error_class", "typed_commit_error", "typed_commit_failures"]

_CLASSES: dict[type[BackendError], type[BackendError]] = {}
_LOCK = threading.Lock()

_OUTCOME_UNKNOWN = (
    " (the connection was lost during COMMIT: the transaction may or may not have been "
    "committed, so it is not flagged retryable)"
)


def _rebuild(typed: type[BackendError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    """Unpickling helper: the cached class is rebuilt in the receiving process."""
    error = commit_error_class(typed)(*args)
    error.__dict__.update(state)
    return error


def _reduce(self: BackendError) -> tuple[Any, ...]:
    # A dynamic class cannot be found by name when unpickled (worker processes, logging
    # queues), so the error is rebuilt from its typed class instead.
    typed = type(self).__mro__[1]
    return (_rebuild, (typed, self.args, dict(self.__dict__)))


def commit_error_class(typed: type[BackendError]) -> type[BackendError]:
    """The class that is both ``typed`` and the core's ``TransactionError`` (cached)."""
    if issubclass(typed, core.TransactionError):
        return typed
    cls = _CLASSES.get(typed)
    if cls is None:
        with _LOCK:
            cls = _CLASSES.get(typed)
            if cls is None:
                cls = type(
                    typed.__name__,
                    (typed, core.TransactionError),
                    {
                        "__module__": typed.__module__,
                        "__qualname__": typed.__qualname__,
                        "__doc__": f"{typed.__name__} raised by COMMIT; also a TransactionError.",
                        "__reduce__": _reduce,
                    },
                )
                _CLASSES[typed] = cls
    return cls


def typed_commit_error(error: core.TransactionError) -> core.TransactionError:
    """The exception to raise for the core's COMMIT wrapper ``error``.

    When ``error.__cause__`` is one of our typed errors, the result is an instance of the cached
    class for its type (both typed and ``TransactionError``), with the core's message ("Failed
    to commit transaction: ...") and the typed error's details, chained ``from`` the typed
    error. Any other ``error`` (a plain core state error, an event handler's exception) is
    returned unchanged.
    """
    cause = error.__cause__
    if not isinstance(cause, BackendError):
        return error
    cls = commit_error_class(type(cause))
    message = str(error)
    retryable = cause.retryable
    if isinstance(cause, ConnectionLostError):
        message += _OUTCOME_UNKNOWN
        retryable = False
    typed = cls(
        message,
        sqlstate=cause.sqlstate,
        errno=cause.errno,
        constraint=cause.constraint,
        table=cause.table,
        retryable=retryable,
    )
    typed.__cause__ = cause  # raising it sets __context__ to the wrapper; the cause is shown
    typed.__suppress_context__ = True
    assert isinstance(typed, core.TransactionError)  # by construction of commit_error_class
    return typed


@contextmanager
def typed_commit_failures() -> Iterator[None]:
    """Around ``super().commit()``: re-raise the core's wrapper as :func:`typed_commit_error`."""
    try:
        yield
    except core.TransactionError as error:
        typed = typed_commit_error(error)
        if typed is error:
            raise
        raise typed from error.__cause__
