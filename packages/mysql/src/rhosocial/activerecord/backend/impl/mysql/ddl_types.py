"""DataType -> MySQL/MariaDB column type, for DDL built from expressions.

Datetime-like types default to 6 fractional digits so microseconds survive; TIMESTAMP maps to
DATETIME (MySQL's TIMESTAMP is 1970..2038 and converts with the session zone). JSON is a real
type on MySQL and an alias of LONGTEXT with a validity check on MariaDB: both accept ``JSON``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from rhosocial.activerecord.backend.dialect.mixins import DDLTypeMixin
from rhosocial.activerecord.backend.expression.types import (
    ArrayType,
    BigIntType,
    BlobType,
    BooleanType,
    CharType,
    CustomType,
    DataType,
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

SQL = tuple[str, tuple[Any, ...]]
Formatter = TypeVar("Formatter", bound=Callable[..., SQL])


def handles(*data_types: type[DataType]) -> Callable[[Formatter], Formatter]:
    """The core's ``DDLTypeMixin.handles`` (tags a formatter with its types), typed: the core's
    decorator is unannotated, which would leave every formatter untyped."""
    decorate: Callable[[Formatter], Formatter] = DDLTypeMixin.handles(*data_types)
    return decorate


def _fsp(precision: int | None) -> str:
    return f"({6 if precision is None else min(int(precision), 6)})"


class MySQLTypeMixin(DDLTypeMixin):
    @handles(TinyIntType)
    def _fmt_tinyint(self, t: TinyIntType) -> SQL:
        return "TINYINT", ()

    @handles(SmallIntType)
    def _fmt_smallint(self, t: SmallIntType) -> SQL:
        return "SMALLINT", ()

    @handles(IntType, IntegerType)
    def _fmt_int(self, t: IntType | IntegerType) -> SQL:
        return "INT", ()

    @handles(BigIntType)
    def _fmt_bigint(self, t: BigIntType) -> SQL:
        return "BIGINT", ()

    @handles(FloatType)
    def _fmt_float(self, t: FloatType) -> SQL:
        precision = getattr(t, "precision", None)
        return ("FLOAT" if not precision or precision <= 24 else "DOUBLE"), ()

    @handles(RealType, DoubleType)
    def _fmt_double(self, t: RealType | DoubleType) -> SQL:
        return "DOUBLE", ()

    @handles(DecimalType)
    def _fmt_decimal(self, t: DecimalType) -> SQL:
        if t.precision is None:
            return "DECIMAL(65, 30)", ()
        return f"DECIMAL({t.precision}, {t.scale or 0})", ()

    @handles(CharType)
    def _fmt_char(self, t: CharType) -> SQL:
        return f"CHAR({t.length or 1})", ()

    @handles(VarCharType)
    def _fmt_varchar(self, t: VarCharType) -> SQL:
        return f"VARCHAR({t.length or 255})", ()

    @handles(TextType)
    def _fmt_text(self, t: TextType) -> SQL:
        return "LONGTEXT", ()

    @handles(BlobType)
    def _fmt_blob(self, t: BlobType) -> SQL:
        return "LONGBLOB", ()

    @handles(BooleanType)
    def _fmt_bool(self, t: BooleanType) -> SQL:
        return "TINYINT(1)", ()

    @handles(DateType)
    def _fmt_date(self, t: DateType) -> SQL:
        return "DATE", ()

    @handles(TimeType, TimeTzType)
    def _fmt_time(self, t: TimeType | TimeTzType) -> SQL:
        return f"TIME{_fsp(getattr(t, 'precision', None))}", ()

    @handles(DateTimeType, TimestampType, TimestampTzType)
    def _fmt_datetime(self, t: DateTimeType | TimestampType | TimestampTzType) -> SQL:
        return f"DATETIME{_fsp(getattr(t, 'precision', None))}", ()

    @handles(JsonType, JsonBType, ArrayType)
    def _fmt_json(self, t: JsonType | JsonBType | ArrayType) -> SQL:
        return "JSON", ()

    @handles(CustomType)
    def _fmt_custom(self, t: CustomType) -> SQL:
        return t.raw, ()
