"""Two named migrations the snapshot/diff tests run through the core's ``MigrationRunner``.

Written with the core's DDL expressions only, so each backend's dialect renders them: tables,
columns, a named index and a foreign key (``CreateShop``), then one added column (``AddNote``).
"""

from __future__ import annotations

from typing import Any

from rhosocial.activerecord.backend.expression import (
    AddColumn,
    AlterTableExpression,
    ColumnConstraint,
    ColumnConstraintType,
    ColumnDefinition,
    CreateIndexExpression,
    CreateTableExpression,
    DropTableExpression,
    TableConstraintType,
)
from rhosocial.activerecord.backend.expression.statements.ddl_table import (
    ForeignKeyConstraint,
    ReferentialAction,
)
from rhosocial.activerecord.backend.expression.types import (
    BigIntType,
    DecimalType,
    IntegerType,
    VarCharType,
)
from rhosocial.activerecord.backend.migration import MigrationContext, NamedMigration

HERE = __name__
TABLES = ("shop_customer", "shop_order")


def _pk() -> list[ColumnConstraint]:
    return [ColumnConstraint(ColumnConstraintType.PRIMARY_KEY)]


def create_customer(dialect: Any) -> CreateTableExpression:
    return CreateTableExpression(
        dialect,
        table="shop_customer",
        columns=[
            ColumnDefinition("id", IntegerType(), constraints=_pk()),
            ColumnDefinition(
                "email",
                VarCharType(100),
                constraints=[ColumnConstraint(ColumnConstraintType.NOT_NULL)],
            ),
        ],
    )


def create_order(dialect: Any) -> CreateTableExpression:
    return CreateTableExpression(
        dialect,
        table="shop_order",
        columns=[
            ColumnDefinition("id", BigIntType(), constraints=_pk()),
            ColumnDefinition("customer_id", IntegerType()),
            ColumnDefinition("total", DecimalType(10, 2)),
        ],
        table_constraints=[
            ForeignKeyConstraint(
                constraint_type=TableConstraintType.FOREIGN_KEY,
                name="fk_order_customer",
                columns=["customer_id"],
                foreign_key_table="shop_customer",
                foreign_key_columns=["id"],
                on_delete=ReferentialAction.CASCADE,
            )
        ],
    )


def create_order_index(dialect: Any) -> CreateIndexExpression:
    return CreateIndexExpression(
        dialect, index_name="ix_order_total", table_name="shop_order", columns=["total"]
    )


def add_note(dialect: Any) -> AlterTableExpression:
    return AlterTableExpression(
        dialect, "shop_order", [AddColumn(dialect, ColumnDefinition("note", VarCharType(50)))]
    )


def drop_order(dialect: Any) -> DropTableExpression:
    return DropTableExpression(dialect, table="shop_order", if_exists=True)


def drop_customer(dialect: Any) -> DropTableExpression:
    return DropTableExpression(dialect, table="shop_customer", if_exists=True)


class CreateShop(NamedMigration):
    version = "v001_create_shop"

    def up(self, ctx: MigrationContext) -> None:
        ctx.execute(f"{HERE}.create_customer")
        ctx.execute(f"{HERE}.create_order")
        ctx.execute(f"{HERE}.create_order_index")

    def down(self, ctx: MigrationContext) -> None:
        ctx.execute(f"{HERE}.drop_order")
        ctx.execute(f"{HERE}.drop_customer")


class AddNote(NamedMigration):
    version = "v002_add_note"
    dependencies = ["v001_create_shop"]

    def up(self, ctx: MigrationContext) -> None:
        ctx.execute(f"{HERE}.add_note")

    def down(self, ctx: MigrationContext) -> None:
        raise NotImplementedError("the tests drop the tables with CreateShop.down")
