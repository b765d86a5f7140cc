"""feature.query: IQuerySyncProvider / IQueryAsyncProvider (incl. the composite-key model and
the worker protocol)."""

from __future__ import annotations

from rhosocial.activerecord.testsuite.feature.query.interfaces import (
    IQueryAsyncProvider,
    IQuerySyncProvider,
)

from .base import build_provider, fixture_set
from .worker import WorkerProtocolMixin

_Q = "feature.query.fixtures."


def _m(sync: str, async_: str):
    return (_Q + sync, _Q + async_)


USER = _m("models:User", "async_models:AsyncUser")
ORDER = _m("models:Order", "async_models:AsyncOrder")
ORDER_ITEM = _m("models:OrderItem", "async_models:AsyncOrderItem")
POST = _m("models:Post", "async_models:AsyncPost")
COMMENT = _m("models:Comment", "async_models:AsyncComment")

SPECS = {
    "setup_order_fixtures": fixture_set(
        [USER, ORDER, ORDER_ITEM], "query", ["users", "orders", "order_items"]
    ),
    "setup_blog_fixtures": fixture_set(
        [USER, POST, COMMENT], "query", ["users", "posts", "comments"]
    ),
    "setup_json_user_fixtures": fixture_set(
        [_m("models:JsonUser", "async_json_models:AsyncJsonUser")], "query", ["json_users"]
    ),
    "setup_tree_fixtures": fixture_set(
        [_m("cte_models:Node", "async_cte_models:AsyncNode")], "query", ["nodes"]
    ),
    "setup_extended_order_fixtures": fixture_set(
        [
            _m("extended_models:User", "async_extended_models:AsyncUser"),
            _m("extended_models:ExtendedOrder", "async_extended_models:AsyncExtendedOrder"),
            _m("extended_models:ExtendedOrderItem", "async_extended_models:AsyncExtendedOrderItem"),
        ],
        "query",
        ["users", "extended_orders", "extended_order_items"],
    ),
    "setup_combined_fixtures": fixture_set(
        [USER, ORDER, ORDER_ITEM, POST, COMMENT],
        "query",
        ["users", "orders", "order_items", "posts", "comments"],
    ),
    "setup_annotated_query_fixtures": fixture_set(
        [
            _m(
                "annotated_adapter_models:SearchableItem",
                "async_annotated_adapter_models:AsyncSearchableItem",
            )
        ],
        "query",
        ["searchable_items"],
    ),
    "setup_mapped_models": fixture_set(
        [
            _m("models:MappedUser", "models:AsyncMappedUser"),
            _m("models:MappedPost", "models:AsyncMappedPost"),
            _m("models:MappedComment", "models:AsyncMappedComment"),
        ],
        "query_mapped",
        ["users", "posts", "comments"],
    ),
    "setup_profile_fixtures": fixture_set(
        [USER, _m("models:Profile", "async_models:AsyncProfile")], "query", ["users", "profiles"]
    ),
    # The composite-key query tests use the basic group's OrderItem (order_id, product_id).
    "setup_order_item_model": fixture_set(
        [
            (
                "feature.basic.fixtures.models:OrderItem",
                "feature.basic.fixtures.models:AsyncOrderItem",
            )
        ],
        "basic",
        ["order_items"],
        single=True,
    ),
}


class _QueryCommon(WorkerProtocolMixin):
    worker_table_sets = ("query",)

    def supports_orphan_relations(self) -> bool:
        # No fixture table carries a foreign key constraint.
        return True


QuerySyncProvider = build_provider(
    "QuerySyncProvider", IQuerySyncProvider, SPECS, is_async=False, bases=(_QueryCommon,)
)
QueryAsyncProvider = build_provider(
    "QueryAsyncProvider", IQueryAsyncProvider, SPECS, is_async=True, bases=(_QueryCommon,)
)
