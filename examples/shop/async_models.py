"""Async twins of two shop models, on the same tables.

``AsyncActiveRecord`` has the same API as ``ActiveRecord`` with coroutines where the database
is touched (``await order.save()``, ``await Order.query().all()``, ``await customer.orders()``).
"""

from __future__ import annotations

from typing import ClassVar

from rhosocial.activerecord.base.field_proxy import FieldProxy
from rhosocial.activerecord.field import IntegerPKMixin, TimestampMixin
from rhosocial.activerecord.model import AsyncActiveRecord
from rhosocial.activerecord.relation import AsyncBelongsTo, AsyncHasMany


class AsyncCustomer(IntegerPKMixin, AsyncActiveRecord):
    __table_name__ = "demo_customers"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    name: str
    email: str

    orders: ClassVar[AsyncHasMany[AsyncOrder]] = AsyncHasMany(
        foreign_key="customer_id", inverse_of="customer"
    )


class AsyncOrder(IntegerPKMixin, TimestampMixin, AsyncActiveRecord):
    __table_name__ = "demo_orders"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    customer_id: int
    status: str = "open"

    customer: ClassVar[AsyncBelongsTo[AsyncCustomer]] = AsyncBelongsTo(
        foreign_key="customer_id", inverse_of="orders"
    )
