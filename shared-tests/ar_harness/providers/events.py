"""feature.events and feature.mixins: their providers are plain fixture sets."""

from __future__ import annotations

from rhosocial.activerecord.testsuite.feature.events.interfaces import (
    IEventsAsyncProvider,
    IEventsSyncProvider,
)
from rhosocial.activerecord.testsuite.feature.mixins.interfaces import (
    IMixinsAsyncProvider,
    IMixinsSyncProvider,
)

from .base import build_provider, fixture_set

_E = "feature.events.fixtures.models:"
_X = "feature.mixins.fixtures.models:"

EVENT_SPECS = {
    "setup_event_model": fixture_set(
        [(_E + "EventTestModel", _E + "AsyncEventTestModel")],
        "events",
        ["event_tests"],
        single=True,
    ),
    # The testsuite ships no AsyncEventTrackingModel; the async fixture is never requested.
    "setup_event_tracking_model": fixture_set(
        [(_E + "EventTrackingModel", _E + "AsyncEventTrackingModel")],
        "events",
        ["event_tracking_models"],
        single=True,
    ),
}


def _mixin(name: str, table: str):
    return fixture_set([(_X + name, _X + "Async" + name)], "mixins", [table], single=True)


MIXIN_SPECS = {
    "setup_timestamped_post_model": _mixin("TimestampedPost", "timestamped_posts"),
    "setup_versioned_product_model": _mixin("VersionedProduct", "versioned_products"),
    "setup_task_model": _mixin("Task", "tasks"),
    "setup_combined_article_model": _mixin("CombinedArticle", "combined_articles"),
}

EventsSyncProvider = build_provider(
    "EventsSyncProvider", IEventsSyncProvider, EVENT_SPECS, is_async=False
)
EventsAsyncProvider = build_provider(
    "EventsAsyncProvider", IEventsAsyncProvider, EVENT_SPECS, is_async=True
)
MixinsSyncProvider = build_provider(
    "MixinsSyncProvider", IMixinsSyncProvider, MIXIN_SPECS, is_async=False
)
MixinsAsyncProvider = build_provider(
    "MixinsAsyncProvider", IMixinsAsyncProvider, MIXIN_SPECS, is_async=True
)
