"""The sync tour: CRUD, relations, a bulk insert, a join with aggregates, a savepoint.

Every model of the shop shares one backend (one connection) through a ``BackendGroup``, so
an order and its items can be written in the same transaction.
"""

from __future__ import annotations

from decimal import Decimal

from rhosocial.activerecord.backend.errors import IntegrityError
from rhosocial.activerecord.backend.expression import functions
from rhosocial.activerecord.connection import BackendGroup

from .models import Customer, Order, OrderItem, Product
from .schema import statements
from .targets import Target

MODELS = [Customer, Product, Order, OrderItem]


def say(step: str, text: str) -> None:
    print(f"  {step:<10} {text}")


def run(target: Target) -> None:
    group = BackendGroup(
        name="shop", models=MODELS, config=target.config, backend_class=target.backend
    )
    with group, group.get_backend().context() as backend:
        for sql in statements(target.family):
            backend.execute(sql)  # DDL: plain SQL through the backend
        say("schema", "created demo_customers, demo_products, demo_orders, demo_order_items")
        crud()
        products = bulk_insert()
        place_orders(products)
        report()
        savepoint(products)


def crud() -> None:
    people = [Customer(name=n, email=f"{n.lower()}@example.com") for n in ("Ada", "Grace", "Linus")]
    for person in people:
        person.save()  # INSERT; the generated id comes back into the object
    say("create", ", ".join(f"{p.name} #{p.id}" for p in people))

    grace = Customer.find_one(people[1].id)  # SELECT by primary key
    grace.email = "grace@navy.example"
    grace.save()  # UPDATE of the changed column only
    say("update", f"Grace's email -> {Customer.find_one(grace.id).email}")

    people[2].delete()
    left = Customer.query().order_by("id").all()
    say("delete", f"Linus; left: {', '.join(c.name for c in left)} ({Customer.query().count()})")


def bulk_insert() -> list[Product]:
    catalogue = [
        ("KB-01", "Keyboard", "49.90"),
        ("MS-02", "Mouse", "19.90"),
        ("MN-27", "Monitor 27in", "219.00"),
        ("CB-10", "USB-C cable", "9.99"),
        ("DK-01", "Dock", "129.00"),
    ]
    products = [Product(sku=s, title=t, price=Decimal(p)) for s, t, p in catalogue]
    Product.bulk_create(products)  # one multi-row INSERT; every object gets its id
    say("bulk", f"{len(products)} products in one statement, ids {[p.id for p in products]}")
    return products


def place_orders(products: list[Product]) -> None:
    ada = Customer.query().where("name = ?", ("Ada",)).one()
    grace = Customer.query().where(Customer.c.name == "Grace").one()
    baskets = [
        (ada, [(0, 1), (2, 2), (4, 1)]),
        (grace, [(1, 3), (3, 4)]),
    ]  # (product index, quantity)
    for customer, lines in baskets:
        order = Order(customer_id=customer.id)
        order.save()
        for index, qty in lines:
            product = products[index]
            OrderItem(
                order_id=order.id, product_id=product.id, quantity=qty, unit_price=product.price
            ).save()
    Order(customer_id=ada.id, status="cancelled").save()

    first = ada.orders()[0]  # HasMany: Ada's orders
    say(
        "relations",
        f"Ada has {len(ada.orders())} orders; order #{first.id} belongs to "
        f"{first.customer().name} and has {len(first.items())} items, "
        f"created {first.created_at:%Y-%m-%d %H:%M:%S %Z}",
    )


def report() -> None:
    """Revenue per customer of open orders: two joins, WHERE, GROUP BY, COUNT/SUM, ORDER BY."""
    d = Order.backend().dialect
    rows = (
        Order.query()
        .select(
            Customer.c.name,
            functions.count(d, Order.c.id, is_distinct=True).as_("orders"),
            functions.sum_(d, OrderItem.c.quantity).as_("units"),
            functions.sum_(d, OrderItem.c.quantity * OrderItem.c.unit_price).as_("revenue"),
        )
        .inner_join(Customer, on=(Order.c.customer_id == Customer.c.id))
        .inner_join(OrderItem, on=(OrderItem.c.order_id == Order.c.id))
        .where(Order.c.status == "open")
        .group_by(Customer.c.name)
        .order_by(("revenue", "DESC"))
        .aggregate()
    )
    for r in rows:
        say(
            "report",
            f"{r['name']:<6} {r['orders']} order(s), {r['units']} units, "
            f"revenue {Decimal(r['revenue']):.2f}",
        )


def savepoint(products: list[Product]) -> None:
    """A failed statement inside a savepoint undoes only that savepoint's work."""
    grace = Customer.query().where(Customer.c.name == "Grace").one()
    with Order.transaction():  # BEGIN
        order = Order(customer_id=grace.id)
        order.save()
        OrderItem(
            order_id=order.id, product_id=products[0].id, quantity=1, unit_price=products[0].price
        ).save()
        try:
            with Order.transaction():  # nested: SAVEPOINT
                OrderItem(
                    order_id=order.id,
                    product_id=products[2].id,
                    quantity=1,
                    unit_price=products[2].price,
                ).save()
                # Same product twice in one order: UNIQUE (order_id, product_id) says no.
                OrderItem(
                    order_id=order.id,
                    product_id=products[0].id,
                    quantity=5,
                    unit_price=products[0].price,
                ).save()
        except IntegrityError as e:  # ROLLBACK TO SAVEPOINT; the outer transaction goes on
            say(
                "savepoint",
                f"duplicate line refused ({type(e).__name__}), rolled back to the savepoint",
            )
        order.status = "paid"
        order.save()
    # COMMIT: the order and its first line are kept, the savepoint's two lines are not
    items = order.items()
    say(
        "commit",
        f"order #{order.id} is {Order.find_one(order.id).status} with "
        f"{len(items)} item(s): {[i.product_id for i in items]}",
    )
