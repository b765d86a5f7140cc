"""Config validation, adapters and SQLSTATE mapping (no server)."""

import inspect
import pickle
import uuid
from decimal import Decimal
from enum import Enum

import psycopg
import pytest
from psycopg import errors as pe
from psycopg.types.json import Jsonb

from rhosocial.activerecord.backend import errors as core
from rhosocial.activerecord.backend.impl.common import errors as common_errors
from rhosocial.activerecord.backend.impl.postgres import (
    CheckViolation,
    ConnectionLostError,
    ExclusionViolation,
    ForeignKeyViolation,
    LockTimeoutError,
    NotNullViolation,
    PostgresBackend,
    PostgresConnectionConfig,
    PostgresJSONBAdapter,
    QueryCanceledError,
    SerializationError,
    UniqueViolation,
)
from rhosocial.activerecord.backend.impl.postgres.adapters import (
    ParamConverter,
    PostgresEnumAdapter,
)
from rhosocial.activerecord.backend.impl.postgres.errors import (
    DataError,
    DeadlockError,
    MissingTableError,
    connect_error,
    map_error,
)

# -- config ------------------------------------------------------------------------------------


def test_config_from_plain_kwargs_pickles_and_hides_password():
    c = PostgresConnectionConfig(
        host="db",
        port="5433",
        username="u",
        password="s3cret",
        database="d",
        sslmode="require",
        search_path="app, public",
        statement_timeout=500,
    )
    assert c.port == 5433 and c.user == "u"
    assert "s3cret" not in repr(c) and "s3cret" not in str(c)
    assert pickle.loads(pickle.dumps(c)).password == "s3cret"
    kw = c.connect_kwargs()
    assert kw["dbname"] == "d" and kw["sslmode"] == "require"
    assert kw["options"] == "-c search_path=app,public -c statement_timeout=500"


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"port": 70000}, "port"),
        ({"sslmode": "sometimes"}, "sslmode"),
        ({"sslmode": "verify-full"}, "sslrootcert"),
        ({"sslcert": "/c.pem"}, "sslkey"),
        ({"connect_timeout": -1}, "connect_timeout"),
        ({"target_session_attrs": "writable"}, "target_session_attrs"),
        ({"host": ""}, "host"),
    ],
)
def test_config_validation_names_the_field(bad, message):
    with pytest.raises(ValueError, match=message):
        PostgresConnectionConfig(**bad)


def test_backend_accepts_loose_kwargs():
    b = PostgresBackend(host="h", port=5999, database="x", username="u")
    assert isinstance(b.config, PostgresConnectionConfig) and b.config.port == 5999


# -- adapters ----------------------------------------------------------------------------------


class Color(Enum):
    RED = "r"


def test_param_converter_touches_only_what_psycopg_cannot_bind():
    b = PostgresBackend(host="h")
    conv = b._converter
    params = (1, "a", None, Decimal("1.10"), uuid.uuid4(), b"x", [1, 2])
    assert conv.convert(params) is params  # untouched, not even copied
    out = conv.convert(({"a": 1}, Color.RED))
    assert isinstance(out[0], Jsonb) and out[1] == "r"
    named = {"n": 1, "s": "a"}
    assert conv.convert(named) is named
    out = conv.convert({"c": Color.RED, "d": {"a": 1}, "n": 1})
    assert list(out) == ["c", "d", "n"] and out["c"] == "r" and isinstance(out["d"], Jsonb)
    assert b.get_default_adapter_suggestions() is b.get_default_adapter_suggestions()


def test_jsonb_adapter_reads_parsed_and_text_json():
    a = PostgresJSONBAdapter()
    assert a.from_database({"a": 1}, dict) == {"a": 1}
    assert a.from_database('{"a": 1}', dict) == {"a": 1}
    assert a.from_database(b"[1]", list) == [1]
    assert isinstance(a.to_database({"a": 1}, Jsonb), Jsonb)


def test_enum_adapter_round_trip():
    a = PostgresEnumAdapter()
    assert a.to_database(Color.RED, str) == "r"
    assert a.from_database("r", Color) is Color.RED


def test_param_converter_subclass_lookup_is_cached():
    class D(dict):
        pass

    conv = ParamConverter({dict: (PostgresJSONBAdapter(), Jsonb)})
    assert isinstance(conv.convert((D(a=1),))[0], Jsonb)
    assert D in conv._by_type


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "driver_cls, core_cls, retryable",
    [
        (pe.UniqueViolation, UniqueViolation, False),
        (pe.ForeignKeyViolation, ForeignKeyViolation, False),
        (pe.NotNullViolation, NotNullViolation, False),
        (pe.CheckViolation, CheckViolation, False),
        (pe.ExclusionViolation, ExclusionViolation, False),
        (pe.RestrictViolation, common_errors.IntegrityViolation, False),
        (pe.DeadlockDetected, DeadlockError, True),
        (pe.SerializationFailure, SerializationError, True),
        (pe.LockNotAvailable, LockTimeoutError, True),
        (pe.QueryCanceled, QueryCanceledError, False),
        (pe.AdminShutdown, ConnectionLostError, False),
        (pe.UndefinedTable, MissingTableError, False),
        (pe.SyntaxError, common_errors.ProgrammingError, False),
        (pe.DivisionByZero, DataError, False),
    ],
)
def test_sqlstate_mapping(driver_cls, core_cls, retryable):
    driver = driver_cls("server says so")
    mapped = map_error(driver)
    # the one vocabulary of the three backends (common.errors): the exact class, under the core's
    assert type(mapped) is core_cls
    assert isinstance(mapped, core.DatabaseError)
    assert str(mapped) == "server says so"
    assert mapped.sqlstate == driver_cls.sqlstate
    assert mapped.retryable is retryable


def test_the_shared_classes_are_caught_as_the_core_classes_they_refine():
    # code that caught the core class before the shared vocabulary still catches them
    assert issubclass(common_errors.IntegrityViolation, core.IntegrityError)
    assert issubclass(DeadlockError, core.DeadlockError)
    for cls in (MissingTableError, common_errors.ProgrammingError, DataError):
        assert issubclass(cls, core.QueryError)
    assert issubclass(common_errors.ServerError, core.DatabaseError)


def test_subclasses_are_caught_as_core_classes():
    assert issubclass(SerializationError, core.OperationalError)
    assert issubclass(LockTimeoutError, core.LockError) and issubclass(
        LockTimeoutError, core.OperationalError
    )
    assert issubclass(ConnectionLostError, core.ConnectionError)
    for cls in (UniqueViolation, ForeignKeyViolation, NotNullViolation, CheckViolation):
        assert issubclass(cls, core.IntegrityError)


def test_client_side_errors_and_secrets():
    assert type(map_error(psycopg.DataError("NUL bytes"))) is common_errors.ServerError
    err = connect_error(
        psycopg.OperationalError("password authentication failed: hunter22"), ["hunter22"]
    )
    assert isinstance(err, core.ConnectionError) and "hunter22" not in str(err)


# -- one source for the sync and async I/O, the sync module generated from it (decision 0007) --


def test_sync_backend_is_the_generated_module_with_plain_methods():
    from rhosocial.activerecord.backend.impl.postgres import AsyncPostgresBackend
    from rhosocial.activerecord.backend.impl.postgres import backend as sync_module

    for name in ("connect", "ping", "execute", "fetch_one", "fetch_all", "execute_many",
                 "_run", "_recover", "_execute_tcl", "insert", "update", "bulk_insert"):  # fmt: skip
        sync_fn, async_fn = getattr(PostgresBackend, name), getattr(AsyncPostgresBackend, name)
        assert inspect.iscoroutinefunction(async_fn) and not inspect.iscoroutinefunction(sync_fn)
        # go-to-definition and tracebacks land on a real method of the generated module
        assert sync_fn.__code__.co_filename == sync_module.__file__
        assert sync_fn.__qualname__ == f"PostgresBackend.{name}"
    assert inspect.isasyncgenfunction(AsyncPostgresBackend.stream)
    assert inspect.isgeneratorfunction(PostgresBackend.stream)
    with open(sync_module.__file__) as f:
        assert "do not edit" in f.readline()


def test_no_module_reads_or_rewrites_its_own_source():
    from pathlib import Path

    import rhosocial.activerecord.backend.impl.postgres as package

    for path in Path(package.__file__).parent.glob("*.py"):
        text = path.read_text()
        for word in ("inspect", "getsource", "textwrap"):
            assert word not in text, (path.name, word)
