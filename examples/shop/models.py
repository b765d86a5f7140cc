"""The shop's models: customers place orders, an order has items, an item names a product.

Plain pydantic fields plus a few class-level declarations: the table name, the relations
(``HasMany`` / ``BelongsTo``) and a ``FieldProxy`` (``Order.c.total``) for building queries.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field

from rhosocial.activerecord.base.field_proxy import FieldProxy
from rhosocial.activerecord.field import IntegerPKMixin, TimestampMixin
from rhosocial.activerecord.model import ActiveRecord
from rhosocial.activerecord.relation import BelongsTo, HasMany


class Customer(IntegerPKMixin, ActiveRecord):
    __table_name__ = "demo_customers"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    name: str
    email: str

    orders: ClassVar[HasMany[Order]] = HasMany(foreign_key="customer_id", inverse_of="customer")


class Product(IntegerPKMixin, ActiveRecord):
    __table_name__ = "demo_products"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    sku: str
    title: str
    price: Decimal = Field(ge=0)


class Order(IntegerPKMixin, TimestampMixin, ActiveRecord):
    """``TimestampMixin`` fills ``created_at``/``updated_at`` (timezone-aware, UTC)."""

    __table_name__ = "demo_orders"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    customer_id: int
    status: str = "open"

    customer: ClassVar[BelongsTo[Customer]] = BelongsTo(
        foreign_key="customer_id", inverse_of="orders"
    )
    items: ClassVar[HasMany[OrderItem]] = HasMany(foreign_key="order_id", inverse_of="order")


class OrderItem(IntegerPKMixin, ActiveRecord):
    __table_name__ = "demo_order_items"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    order_id: int
    product_id: int
    quantity: int = Field(ge=1)
    unit_price: Decimal

    order: ClassVar[BelongsTo[Order]] = BelongsTo(foreign_key="order_id", inverse_of="items")
