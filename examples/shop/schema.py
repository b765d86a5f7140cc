"""The shop's tables, in the SQL of each server family.

Tables are the application's to define (the ORM maps to them, it does not create them); the
demo drops and recreates them, so it always starts from the same state.
"""

from __future__ import annotations

TABLES = ("demo_order_items", "demo_orders", "demo_products", "demo_customers")  # drop order

_POSTGRES = """
CREATE TABLE demo_customers (
    id BIGSERIAL PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(200) NOT NULL UNIQUE
);
CREATE TABLE demo_products (
    id BIGSERIAL PRIMARY KEY,
    sku VARCHAR(32) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL,
    price NUMERIC(10, 2) NOT NULL CHECK (price >= 0)
);
CREATE TABLE demo_orders (
    id BIGSERIAL PRIMARY KEY,
    customer_id BIGINT NOT NULL REFERENCES demo_customers (id),
    status VARCHAR(20) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE demo_order_items (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES demo_orders (id) ON DELETE CASCADE,
    product_id BIGINT NOT NULL REFERENCES demo_products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(10, 2) NOT NULL,
    UNIQUE (order_id, product_id)
)
"""

_MYSQL = """
CREATE TABLE demo_customers (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    name VARCHAR(100) NOT NULL,
    email VARCHAR(200) NOT NULL UNIQUE
) ENGINE=InnoDB;
CREATE TABLE demo_products (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    sku VARCHAR(32) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL,
    price DECIMAL(10, 2) NOT NULL CHECK (price >= 0)
) ENGINE=InnoDB;
CREATE TABLE demo_orders (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    customer_id BIGINT NOT NULL,
    status VARCHAR(20) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    FOREIGN KEY (customer_id) REFERENCES demo_customers (id)
) ENGINE=InnoDB;
CREATE TABLE demo_order_items (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    order_id BIGINT NOT NULL,
    product_id BIGINT NOT NULL,
    quantity INT NOT NULL CHECK (quantity > 0),
    unit_price DECIMAL(10, 2) NOT NULL,
    UNIQUE (order_id, product_id),
    FOREIGN KEY (order_id) REFERENCES demo_orders (id) ON DELETE CASCADE,
    FOREIGN KEY (product_id) REFERENCES demo_products (id)
) ENGINE=InnoDB
"""

_SQLITE = """
CREATE TABLE demo_customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE demo_products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    price NUMERIC NOT NULL CHECK (price >= 0)
);
CREATE TABLE demo_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer_id INTEGER NOT NULL REFERENCES demo_customers (id),
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE demo_order_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES demo_orders (id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES demo_products (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC NOT NULL,
    UNIQUE (order_id, product_id)
)
"""

DDL = {"postgres": _POSTGRES, "mysql": _MYSQL, "sqlite": _SQLITE}


def statements(family: str) -> list[str]:
    """DROP then CREATE statements for the family, one statement per string."""
    drops = [f"DROP TABLE IF EXISTS {table}" for table in TABLES]
    creates = [s.strip() for s in DDL[family].split(";") if s.strip()]
    return drops + creates
