"""The fixture tables of the testsuite, written once in a neutral form.

The testsuite ships models only; the tables behind them are ours. Each table is declared here
once, with neutral column types (``pk_auto``, ``varchar(n)``, ``datetime``, ``json`` ...), and
rendered per SQL family by the type map of the backend profile (see ``profiles``). Several
testsuite groups reuse a table name with different columns (``users`` in basic, query and
relation), so tables are keyed by ``<set>.<table>`` and a provider creates one set at a time.

Column lines read ``name type [not null] [default <sql literal>]``. Columns follow the fixture
models field by field (mapped fields under their column names, mixin columns included:
``created_at``/``updated_at`` from TimestampMixin, ``version`` from OptimisticLockMixin,
``deleted_at`` from SoftDeleteMixin). No foreign keys anywhere: the relation boundary dataset
stores orphans on purpose, and fixture sets are dropped and created one table at a time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_LINE = re.compile(
    r"^(?P<name>\w+)\s+(?P<base>[a-z_]+)(?:\((?P<args>[0-9, ]+)\))?"
    r"(?P<not_null>\s+not null)?(?:\s+default\s+(?P<default>.+))?$"
)


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # neutral base name, e.g. "varchar"
    args: tuple[int, ...]
    not_null: bool
    default: str | None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]  # empty when a pk_* column carries it


def _column(line: str) -> Column:
    match = _LINE.match(line)
    if not match:
        raise ValueError(f"bad neutral column line {line!r}")
    args = tuple(int(a) for a in (match["args"] or "").replace(" ", "").split(",") if a)
    return Column(match["name"], match["base"], args, bool(match["not_null"]), match["default"])


def table(name: str, *lines: str, primary_key: Sequence[str] = ()) -> Table:
    return Table(name, tuple(_column(line) for line in lines), tuple(primary_key))


# Columns every TimestampMixin model carries.
_STAMPS = ("created_at datetime", "updated_at datetime")

TABLES: dict[str, Table] = {}


def _define(set_name: str, *tables: Table) -> None:
    for t in tables:
        TABLES[f"{set_name}.{t.name}"] = t


# --- feature/basic -------------------------------------------------------------------------
_define(
    "basic",
    table(
        "users",
        "id pk_auto",
        "username varchar(255) not null",
        "email varchar(255) not null",
        "age int",
        "balance double",
        "is_active bool default TRUE",
        *_STAMPS,
    ),
    table(
        "type_cases",
        "id pk_uuid",
        "username varchar(255) not null",
        "email varchar(255) not null",
        "tiny_int tinyint",
        "small_int smallint",
        "big_int bigint",
        "float_val float",
        "double_val double",
        "decimal_val decimal(10, 4)",
        # CHAR pads to its length on PostgreSQL; the test stores 'fixed' and reads it back.
        "char_val char(5)",
        "varchar_val varchar(100)",
        "text_val text",
        "date_val date",
        "time_val time",
        "timestamp_val datetime",
        "blob_val blob",
        "json_val json",
        "array_val int_array",
        "is_active bool default TRUE",
    ),
    table(
        "type_tests",
        "id pk_uuid",
        "string_field varchar(255)",
        "int_field int",
        "float_field double",
        "decimal_field decimal(10, 2)",
        "bool_field bool",
        "datetime_field datetime",
        "json_field json",
        "nullable_field varchar(255)",
    ),
    table(
        "validated_field_users",
        "id pk_auto",
        "username varchar(255) not null",
        "email varchar(255) not null",
        "age int",
        "balance double",
        "credit_score int not null",
        "status varchar(20) default 'active'",
        "is_active bool default TRUE",
    ),
    table(
        "validated_users",
        "id pk_auto",
        "username varchar(50) not null",
        "email varchar(255) not null",
        "age int",
    ),
    table(
        "pydantic_validated_models",
        "id pk_auto",
        "code varchar(7) not null",
        "quantity int not null",
        "step_count int not null",
        "price decimal(10, 2) not null",
        "start_at datetime not null",
        "end_at datetime not null",
        "status varchar(20) not null",
        "normalized_name varchar(50) not null",
        "created_token varchar(255) not null",
    ),
    table(
        "type_adapter_tests",
        "id pk_auto",
        "name varchar(255) not null",
        "optional_name varchar(255)",
        "optional_age int",
        "last_login datetime",
        "is_premium bool",
        "unsupported_union varchar(255)",
        # Strings written by the yes/no adapter, or a driver's spelling of a bool
        # ('true' on PostgreSQL): the testsuite accepts either.
        "custom_bool varchar(255)",
        "optional_custom_bool varchar(255)",
    ),
    table(
        "posts",
        "id pk_auto",
        "author int not null",
        "title varchar(255) not null",
        "content text not null",
        "published_at datetime",
        "published bool",
        *_STAMPS,
    ),
    table(
        "comments",
        "id pk_auto",
        "post_ref int not null",
        "author int not null",
        "text text not null",
        "approved bool",
        *_STAMPS,
    ),
    table(
        "column_mapping_items",
        "id pk_auto",
        "name varchar(255) not null",
        "item_total int not null",
        "remarks int",
    ),
    # The ORM leaves a primary key out of INSERT: even this explicitly set id is generated.
    table(
        "mixed_annotation_items",
        "id pk_auto",
        "name varchar(255) not null",
        "tags text",
        "meta text",
        "description text",
        "status varchar(50)",
    ),
    table(
        "bulk_users", "id pk_auto", "name varchar(255) not null", "age int", "email varchar(255)"
    ),
    table(
        "order_items",
        "order_id int not null",
        "product_id int not null",
        "quantity int not null",
        "unit_price decimal(10, 2) not null",
        primary_key=("order_id", "product_id"),
    ),
    table(
        "store_inventory",
        "store_id int not null",
        "product_id int not null",
        "batch_id varchar(50) not null",
        "stock int not null",
        primary_key=("store_id", "product_id", "batch_id"),
    ),
    table("orders", "id pk_auto", "total decimal(10, 2)", *_STAMPS),
    table(
        "product",
        "id pk_auto",
        "name varchar(255) not null",
        "price double not null",
        "quantity int not null",
    ),
)

# --- feature/query -------------------------------------------------------------------------
_QUERY_USERS = table(
    "users",
    "id pk_auto",
    "username varchar(255) not null",
    "email varchar(255) not null",
    "age int",
    "balance double",
    "is_active bool default TRUE",
    *_STAMPS,
)
_define(
    "query",
    _QUERY_USERS,
    table(
        "orders",
        "id pk_auto",
        "user_id int not null",
        "order_number varchar(255) not null",
        "total_amount decimal(10, 2) default 0",
        "status varchar(50) default 'pending'",
        *_STAMPS,
    ),
    table(
        "order_items",
        "id pk_auto",
        "order_id int not null",
        "product_name varchar(255) not null",
        "quantity int not null",
        "unit_price decimal(10, 2) not null",
        "subtotal decimal(10, 2) default 0",
        *_STAMPS,
    ),
    table(
        "posts",
        "id pk_auto",
        "user_id int not null",
        "title varchar(255) not null",
        "content text not null",
        "status varchar(50) default 'published'",
        *_STAMPS,
    ),
    table(
        "comments",
        "id pk_auto",
        "user_id int not null",
        "post_id int not null",
        "content text not null",
        "is_hidden bool default FALSE",
        *_STAMPS,
    ),
    table(
        "profiles",
        "id pk_auto",
        "user_id int not null",
        "bio text",
        "avatar_url varchar(255)",
        *_STAMPS,
    ),
    # The model declares the JSON columns as str: they hold JSON documents read back as text.
    table(
        "json_users",
        "id pk_auto",
        "username varchar(255) not null",
        "email varchar(255) not null",
        "age int",
        "settings json_text",
        "tags json_text",
        "profile json_text",
        "roles json_text",
        "scores json_text",
        "subscription json_text",
        "preferences json_text",
        *_STAMPS,
    ),
    table(
        "nodes",
        "id pk_auto",
        "name varchar(255) not null",
        "parent_id int",
        "value decimal(10, 2) default 0",
        *_STAMPS,
    ),
    table(
        "extended_orders",
        "id pk_auto",
        "user_id int not null",
        "order_number varchar(255) not null",
        "total_amount decimal(10, 2) default 0",
        "status varchar(50) default 'pending'",
        "priority varchar(50) default 'medium'",
        "region varchar(50) default 'default'",
        "category varchar(50) default ''",
        "product varchar(255) default ''",
        "department varchar(255) default ''",
        "year varchar(10) default ''",
        "quarter varchar(10) default ''",
        *_STAMPS,
    ),
    table(
        "extended_order_items",
        "id pk_auto",
        "order_id int not null",
        "product_name varchar(255) not null",
        "quantity int default 1",
        "price decimal(10, 2) default 0",
        "category varchar(50) default ''",
        "region varchar(50) default ''",
        *_STAMPS,
    ),
    table("searchable_items", "id pk_auto", "name varchar(255) not null", "tags text"),
)
# The mapped models of feature/query store the mixin timestamp under other names and as text.
_define(
    "query_mapped",
    table(
        "users",
        "id pk_auto",
        "username varchar(255) not null",
        "email varchar(255) not null",
        "created_time varchar(64)",
        "updated_at datetime",
    ),
    table(
        "posts",
        "id pk_auto",
        "author int not null",
        "title varchar(255) not null",
        "content text not null",
        "published_time varchar(64)",
        "published bool",
        "created_at datetime",
        "updated_at datetime",
    ),
    table(
        "comments",
        "id pk_auto",
        "post_ref int not null",
        "author int not null",
        "text text not null",
        "created_time varchar(64)",
        "approved bool",
        "updated_at datetime",
    ),
)

# --- feature/relation ----------------------------------------------------------------------
_define(
    "relation",
    table("departments", "id pk_auto", "name varchar(255) not null", "description text"),
    table(
        "employees", "id pk_auto", "username varchar(255) not null", "department_id int not null"
    ),
    table("authors", "id pk_auto", "name varchar(255) not null"),
    table("books", "id pk_auto", "title varchar(255) not null", "author_id int not null"),
    table("chapters", "id pk_auto", "title varchar(255) not null", "book_id int not null"),
    table("profiles", "id pk_auto", "bio text not null", "author_id int not null"),
    table(
        "users",
        "id pk_auto",
        "name varchar(255) not null",
        "email varchar(255)",
        "settings json_text",
    ),
    table(
        "posts",
        "id pk_auto",
        "title varchar(255) not null",
        "body text not null",
        "user_id int not null",
        "view_count int default 0",
        "metadata json_text",
    ),
    table("comments", "id pk_auto", "body text not null", "post_id int not null", "meta json_text"),
    table("relation_boundary_owners", "id pk_auto", "name varchar(255) not null"),
    # owner_id is deliberately free of a foreign key: the orphan dataset points at no owner.
    table("relation_boundary_profiles", "id pk_auto", "bio text not null", "owner_id int"),
    table("relation_boundary_posts", "id pk_auto", "title varchar(255) not null", "owner_id int"),
)

# --- feature/events, feature/mixins, connection/transaction, benchmarks --------------------
_define(
    "events",
    table(
        "event_tests",
        "id pk_auto",
        "name varchar(255) not null",
        "status varchar(50) default 'draft'",
        "revision int default 1",
        "content text",
        *_STAMPS,
    ),
    table(
        "event_tracking_models",
        "id pk_auto",
        "title varchar(255) not null",
        "content text not null",
        "view_count int default 0",
        "last_viewed_at datetime",
    ),
)
_define(
    "mixins",
    table(
        "timestamped_posts",
        "id pk_auto",
        "title varchar(255) not null",
        "content text not null",
        *_STAMPS,
    ),
    table(
        "versioned_products",
        "id pk_auto",
        "name varchar(255) not null",
        "price double default 0",
        "version int not null default 1",
    ),
    table(
        "tasks",
        "id pk_auto",
        "title varchar(255) not null",
        "is_completed bool default FALSE",
        "deleted_at datetime",
    ),
    table(
        "combined_articles",
        "id pk_auto",
        "title varchar(255) not null",
        "content text not null",
        "status varchar(50) default 'draft'",
        "version int not null default 1",
        "deleted_at datetime",
        *_STAMPS,
    ),
)
_define(
    "connection",
    table("test_users", "id pk_auto", "name varchar(255) not null", "email varchar(255)"),
)
_define(
    "benchmark",
    table(
        "benchmark_users",
        "id pk_auto",
        "username varchar(255) not null",
        "email varchar(255) not null",
        "age int",
        "balance double",
        "notes text",
        "is_active bool default TRUE",
        *_STAMPS,
    ),
)


@dataclass(frozen=True)
class TypeMap:
    """How one SQL family spells the neutral types (``{0}``, ``{1}`` = type arguments)."""

    types: Mapping[str, str]
    quote: str  # identifier quote character
    drop_table: str  # statement template with {table} (already quoted)


def render_create(t: Table, type_map: TypeMap) -> str:
    """CREATE TABLE for one neutral table in one SQL family."""
    q = type_map.quote
    parts = []
    for col in t.columns:
        try:
            spelled = type_map.types[col.type].format(*col.args)
        except KeyError:
            raise KeyError(f"type map has no spelling for neutral type {col.type!r}") from None
        line = f"{q}{col.name}{q} {spelled}"
        if col.not_null:
            line += " NOT NULL"
        if col.default is not None:
            line += f" DEFAULT {col.default}"
        parts.append(line)
    if t.primary_key:
        parts.append("PRIMARY KEY (" + ", ".join(f"{q}{c}{q}" for c in t.primary_key) + ")")
    return f"CREATE TABLE {q}{t.name}{q} (\n    " + ",\n    ".join(parts) + "\n)"


def render_drop(t: Table, type_map: TypeMap) -> str:
    q = type_map.quote
    return type_map.drop_table.format(table=f"{q}{t.name}{q}")


def tables_of(set_name: str, *names: str) -> tuple[Table, ...]:
    """The named tables of one set, in the order given (creation order)."""
    return tuple(TABLES[f"{set_name}.{n}"] for n in names)
