"""feature.basic: IBasicSyncProvider / IBasicAsyncProvider (incl. composite keys, derived
fields, the worker protocol and get_dialect for basic/ddl)."""

from __future__ import annotations

from rhosocial.activerecord.testsuite.feature.basic.interfaces import (
    IBasicAsyncProvider,
    IBasicSyncProvider,
)

from .base import build_provider, fixture_class, fixture_set
from .worker import WorkerProtocolMixin

_M = "feature.basic.fixtures.models:"


def _m(name: str):
    return (_M + name, _M + "Async" + name)


def _one(name: str, *tables: str):
    return fixture_set([_m(name)], "basic", tables, single=True)


SPECS = {
    "setup_user_model": _one("User", "users"),
    "setup_type_case_model": _one("TypeCase", "type_cases"),
    "setup_type_test_model": _one("TypeTestModel", "type_tests"),
    "setup_validated_field_user_model": _one("ValidatedFieldUser", "validated_field_users"),
    "setup_validated_user_model": _one("ValidatedUser", "validated_users"),
    "setup_pydantic_validated_model": _one("PydanticValidatedModel", "pydantic_validated_models"),
    # The sync interface calls this one without a scenario; the fixture set ignores it anyway.
    "setup_type_adapter_model_and_schema": _one("TypeAdapterTest", "type_adapter_tests"),
    "setup_bulk_user_model": _one("BulkUser", "bulk_users"),
    "setup_mapped_models": fixture_set(
        [_m("MappedUser"), _m("MappedPost"), _m("MappedComment")],
        "basic",
        ["users", "posts", "comments"],
    ),
    "setup_mixed_models": fixture_set(
        [_m("ColumnMappingModel"), _m("MixedAnnotationModel")],
        "basic",
        ["column_mapping_items", "mixed_annotation_items"],
    ),
    # Composite primary key (order_id, product_id); a duplicate must raise IntegrityError.
    "setup_order_item_model": _one("OrderItem", "order_items"),
    "setup_order_model": _one("Order", "orders"),
    "setup_mapped_order_item_model": _one("MappedOrderItem", "order_items"),
    # Derived fields: four declarations of one product table.
    "setup_product_model": _one("Product", "product"),
    "setup_product_form_a_model": _one("ProductFormA", "product"),
    "setup_product_with_proxy_model": _one("ProductWithProxy", "product"),
    "setup_product_with_column_and_adapter_model": _one("ProductWithColumnAndAdapter", "product"),
}


class _BasicCommon(WorkerProtocolMixin):
    worker_table_sets = ("basic",)

    def get_yes_no_adapter(self):
        return fixture_class(_M + "YesOrNoBooleanAdapter")()


_DRIVEN = {"get_dialect": "dialect_steps"}

BasicSyncProvider = build_provider(
    "BasicSyncProvider",
    IBasicSyncProvider,
    SPECS,
    is_async=False,
    bases=(_BasicCommon,),
    driven=_DRIVEN,
)
BasicAsyncProvider = build_provider(
    "BasicAsyncProvider",
    IBasicAsyncProvider,
    SPECS,
    is_async=True,
    bases=(_BasicCommon,),
    driven=_DRIVEN,
)
