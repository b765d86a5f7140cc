"""DataType -> MySQL/MariaDB column type, for DDL built from expressions.

Datetime-like types default to 6 fractional digits so microseconds survive; TIMESTAMP maps to
DATETIME (MySQL's TIMESTAMP is 1970..2038 and converts with the session zone). JSON is a real
type on MySQL and an alias of LONGTEXT with a validity check on MariaDB: both accept ``JSON``.
"""

from __future__ import annotations

from rhosocial.activerecord.backend.dialect.mixins import DDLTypeMixin
from rhosocial.activerecord.backend.expression.types import (
    ArrayType,
    BigIntType,
    BlobType,
    BooleanType,
    CharType,
    CustomType,
    DateTimeType,
    DateType,
    DecimalType,
    DoubleType,
    FloatType,
    IntegerType,
    IntType,
    JsonBType,
    JsonType,
    RealType,
    SmallIntType,
    TextType,
    TimestampType,
    TimestampTzType,
    TimeType,
    TimeTzType,
    TinyIntType,
    VarCharType,
)

SQL = tuple[str, tuple]


def _fsp(precision: int | None) -> str:
    return f"({6 if precision is None else min(int(precision), 6)})"


class MySQLTypeMixin(DDLTypeMixin):
    @DDLTypeMixin.handles(TinyIntType)
    def _fmt_tinyint(self, t) -> SQL:
        return "TINYINT", ()

    @DDLTypeMixin.handles(SmallIntType)
    def _fmt_smallint(self, t) -> SQL:
        return "SMALLINT", ()

    @DDLTypeMixin.handles(IntType, IntegerType)
    def _fmt_int(self, t) -> SQL:
        return "INT", ()

    @DDLTypeMixin.handles(BigIntType)
    def _fmt_bigint(self, t) -> SQL:
        return "BIGINT", ()

    @DDLTypeMixin.handles(FloatType)
    def _fmt_float(self, t) -> SQL:
        return ("FLOAT" if not getattr(t, "precision", None) or t.precision <= 24 else "DOUBLE"), ()

    @DDLTypeMixin.handles(RealType, DoubleType)
    def _fmt_double(self, t) -> SQL:
        return "DOUBLE", ()

    @DDLTypeMixin.handles(DecimalType)
    def _fmt_decimal(self, t) -> SQL:
        if t.precision is None:
            return "DECIMAL(65, 30)", ()
        return f"DECIMAL({t.precision}, {t.scale or 0})", ()

    @DDLTypeMixin.handles(CharType)
    def _fmt_char(self, t) -> SQL:
        return f"CHAR({t.length or 1})", ()

    @DDLTypeMixin.handles(VarCharType)
    def _fmt_varchar(self, t) -> SQL:
        return f"VARCHAR({t.length or 255})", ()

    @DDLTypeMixin.handles(TextType)
    def _fmt_text(self, t) -> SQL:
        return "LONGTEXT", ()

    @DDLTypeMixin.handles(BlobType)
    def _fmt_blob(self, t) -> SQL:
        return "LONGBLOB", ()

    @DDLTypeMixin.handles(BooleanType)
    def _fmt_bool(self, t) -> SQL:
        return "TINYINT(1)", ()

    @DDLTypeMixin.handles(DateType)
    def _fmt_date(self, t) -> SQL:
        return "DATE", ()

    @DDLTypeMixin.handles(TimeType, TimeTzType)
    def _fmt_time(self, t) -> SQL:
        return f"TIME{_fsp(getattr(t, 'precision', None))}", ()

    @DDLTypeMixin.handles(DateTimeType, TimestampType, TimestampTzType)
    def _fmt_datetime(self, t) -> SQL:
        return f"DATETIME{_fsp(getattr(t, 'precision', None))}", ()

    @DDLTypeMixin.handles(JsonType, JsonBType, ArrayType)
    def _fmt_json(self, t) -> SQL:
        return "JSON", ()

    @DDLTypeMixin.handles(CustomType)
    def _fmt_custom(self, t) -> SQL:
        return t.raw, ()
