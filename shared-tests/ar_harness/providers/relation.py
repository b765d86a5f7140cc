"""feature.relation: IRelationSyncProvider / IRelationAsyncProvider, incl. the boundary
datasets (null, orphaned and missing related rows)."""

from __future__ import annotations

from rhosocial.activerecord.testsuite.feature.relation.interfaces import (
    IRelationAsyncProvider,
    IRelationSyncProvider,
)

from .base import HarnessProvider, Steps, build_provider, fixture_set

_R = "feature.relation.fixtures.models:"


def _m(name: str, async_name: str | None = None):
    return (_R + name, _R + (async_name or "Async" + name))


def _same(name: str):
    # Employee, Department, Author, ... have no async twin: both providers use the sync class
    # name, the async provider configures it with the async backend only where it exists.
    return (_R + name, _R + name)


BOUNDARY = [_m("BoundaryOwner"), _m("BoundaryProfile"), _m("BoundaryPost")]

SPECS = {
    "setup_employee_department_fixtures": fixture_set(
        [_same("Employee"), _same("Department")], "relation", ["employees", "departments"]
    ),
    "setup_author_book_fixtures": fixture_set(
        [_same("Author"), _same("Book"), _same("Chapter"), _same("Profile")],
        "relation",
        ["authors", "books", "chapters", "profiles"],
    ),
    "setup_user_model": fixture_set([_m("User")], "relation", ["users"], single=True),
    "setup_post_model": fixture_set([_m("Post")], "relation", ["posts"], single=True),
    "setup_comment_model": fixture_set([_m("Comment")], "relation", ["comments"], single=True),
    "setup_relation_boundary_fixtures": fixture_set(
        BOUNDARY,
        "relation",
        ["relation_boundary_owners", "relation_boundary_profiles", "relation_boundary_posts"],
    ),
}

# An owner id no row will ever have: the orphan dataset points at it.
MISSING_OWNER_ID = 999999


class _RelationCommon(HarnessProvider):
    def boundary_dataset_steps(self, scenario_name: str, dataset_name: str) -> Steps:
        owner_cls, profile_cls, post_cls = (self.model(refs) for refs in BOUNDARY)

        def save(record):
            yield record.save
            return record.id

        if dataset_name == "null_foreign_key":
            profile_id = yield from save(profile_cls(bio="no owner", owner_id=None))
            post_id = yield from save(post_cls(title="no owner", owner_id=None))
            return {"profile_id": profile_id, "post_id": post_id}
        if dataset_name == "orphan_foreign_key":
            post_id = yield from save(post_cls(title="orphan", owner_id=MISSING_OWNER_ID))
            profile_id = yield from save(profile_cls(bio="orphan", owner_id=MISSING_OWNER_ID))
            return {
                "post_id": post_id,
                "profile_id": profile_id,
                "missing_owner_id": MISSING_OWNER_ID,
            }
        if dataset_name == "owner_without_children":
            return {"owner_id": (yield from save(owner_cls(name="lonely owner")))}
        if dataset_name == "multiple_has_one_matches":
            owner_id = yield from save(owner_cls(name="owner with two profiles"))
            first = yield from save(profile_cls(bio="first", owner_id=owner_id))
            second = yield from save(profile_cls(bio="second", owner_id=owner_id))
            return {"owner_id": owner_id, "first_profile_id": first, "second_profile_id": second}
        raise ValueError(f"unknown relation boundary dataset {dataset_name!r}")


_DRIVEN = {"load_relation_boundary_dataset": "boundary_dataset_steps"}

RelationSyncProvider = build_provider(
    "RelationSyncProvider",
    IRelationSyncProvider,
    SPECS,
    is_async=False,
    bases=(_RelationCommon,),
    driven=_DRIVEN,
)
RelationAsyncProvider = build_provider(
    "RelationAsyncProvider",
    IRelationAsyncProvider,
    SPECS,
    is_async=True,
    bases=(_RelationCommon,),
    driven=_DRIVEN,
)
