"""Core DDL ``DataType`` -> PostgreSQL type names (``CREATE TABLE`` / ``ALTER TABLE`` rendering)."""

# The core's ``DDLTypeMixin.handles`` decorator is unannotated; every formatter here is typed.
# mypy: disable-error-code="untyped-decorator"

from __future__ import annotations

from rhosocial.activerecord.backend.dialect.mixins.ddl_type import DDLTypeMixin
from rhosocial.activerecord.backend.dialect.protocols import DDLTypeSupport
from rhosocial.activerecord.backend.expression import types as t

SQL = tuple[str, tuple[object, ...]]


def _p(name: str, *args: int | None) -> str:
    """``NAME(a, b)`` with the None arguments left out."""
    given = [str(a) for a in args if a is not None]
    return f"{name}({', '.join(given)})" if given else name


class PostgresTypeMixin(DDLTypeMixin, DDLTypeSupport):
    """PostgreSQL has every core type natively except TINYINT (-> SMALLINT) and BLOB (-> BYTEA)."""

    @DDLTypeMixin.handles(t.TinyIntType, t.SmallIntType)
    def _fmt_smallint(self, dt: t.DataType) -> SQL:
        return "SMALLINT", ()

    @DDLTypeMixin.handles(t.IntType, t.IntegerType)
    def _fmt_integer(self, dt: t.DataType) -> SQL:
        return "INTEGER", ()

    @DDLTypeMixin.handles(t.BigIntType)
    def _fmt_bigint(self, dt: t.DataType) -> SQL:
        return "BIGINT", ()

    @DDLTypeMixin.handles(t.FloatType)
    def _fmt_float(self, dt: t.FloatType) -> SQL:
        return _p("FLOAT", dt.precision), ()

    @DDLTypeMixin.handles(t.RealType)
    def _fmt_real(self, dt: t.DataType) -> SQL:
        return "REAL", ()

    @DDLTypeMixin.handles(t.DoubleType)
    def _fmt_double(self, dt: t.DataType) -> SQL:
        return "DOUBLE PRECISION", ()

    @DDLTypeMixin.handles(t.DecimalType)
    def _fmt_decimal(self, dt: t.DecimalType) -> SQL:
        return _p("NUMERIC", dt.precision, dt.scale if dt.precision is not None else None), ()

    @DDLTypeMixin.handles(t.CharType)
    def _fmt_char(self, dt: t.CharType) -> SQL:
        return _p("CHAR", dt.length), ()

    @DDLTypeMixin.handles(t.VarCharType)
    def _fmt_varchar(self, dt: t.VarCharType) -> SQL:
        return _p("VARCHAR", dt.length), ()

    @DDLTypeMixin.handles(t.TextType)
    def _fmt_text(self, dt: t.DataType) -> SQL:
        return "TEXT", ()

    @DDLTypeMixin.handles(t.BooleanType)
    def _fmt_boolean(self, dt: t.DataType) -> SQL:
        return "BOOLEAN", ()

    @DDLTypeMixin.handles(t.BlobType)
    def _fmt_bytea(self, dt: t.DataType) -> SQL:
        return "BYTEA", ()

    @DDLTypeMixin.handles(t.DateType)
    def _fmt_date(self, dt: t.DataType) -> SQL:
        return "DATE", ()

    @DDLTypeMixin.handles(t.TimeType)
    def _fmt_time(self, dt: t.TimeType) -> SQL:
        return _p("TIME", dt.precision), ()

    @DDLTypeMixin.handles(t.TimeTzType)
    def _fmt_timetz(self, dt: t.TimeTzType) -> SQL:
        return _p("TIME", dt.precision) + " WITH TIME ZONE", ()

    @DDLTypeMixin.handles(t.DateTimeType, t.TimestampType)
    def _fmt_timestamp(self, dt: t.DateTimeType | t.TimestampType) -> SQL:
        return _p("TIMESTAMP", dt.precision), ()

    @DDLTypeMixin.handles(t.TimestampTzType)
    def _fmt_timestamptz(self, dt: t.TimestampTzType) -> SQL:
        return _p("TIMESTAMP", dt.precision) + " WITH TIME ZONE", ()

    @DDLTypeMixin.handles(t.IntervalType)
    def _fmt_interval(self, dt: t.IntervalType) -> SQL:
        return ("INTERVAL " + dt.fields) if dt.fields else "INTERVAL", ()

    @DDLTypeMixin.handles(t.JsonType)
    def _fmt_json(self, dt: t.DataType) -> SQL:
        return "JSON", ()

    @DDLTypeMixin.handles(t.JsonBType)
    def _fmt_jsonb(self, dt: t.DataType) -> SQL:
        return "JSONB", ()

    @DDLTypeMixin.handles(t.ArrayType)
    def _fmt_array(self, dt: t.ArrayType) -> SQL:
        inner, params = self.format_data_type(dt.element_type)
        return inner + "[]" * max(1, dt.dimensions), params

    @DDLTypeMixin.handles(t.CustomType)
    def _fmt_custom(self, dt: t.CustomType) -> SQL:
        return dt.raw, ()
