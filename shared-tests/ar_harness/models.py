"""The only models the harness defines itself: the connection/transaction groups leave the
model to the provider and only need ``name`` and ``email`` on a ``test_users`` table."""

from __future__ import annotations

from typing import ClassVar

from rhosocial.activerecord.base.field_proxy import FieldProxy
from rhosocial.activerecord.field import IntegerPKMixin
from rhosocial.activerecord.model import ActiveRecord, AsyncActiveRecord


class PoolUser(IntegerPKMixin, ActiveRecord):
    __table_name__ = "test_users"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    name: str
    email: str | None = None


class AsyncPoolUser(IntegerPKMixin, AsyncActiveRecord):
    __table_name__ = "test_users"
    c: ClassVar[FieldProxy] = FieldProxy()

    id: int | None = None
    name: str
    email: str | None = None
