"""The async tour: the same models API with ``await``, on the package's async backend."""

from __future__ import annotations

from rhosocial.activerecord.connection import AsyncBackendGroup

from .async_models import AsyncCustomer, AsyncOrder
from .targets import Target
from .walkthrough import say


async def run(target: Target) -> None:
    group = AsyncBackendGroup(
        name="shop-async",
        models=[AsyncCustomer, AsyncOrder],
        config=target.config,
        backend_class=target.async_backend,
    )
    async with group, group.get_backend().context():
        margaret = AsyncCustomer(name="Margaret", email="margaret@example.com")
        await margaret.save()

        async with AsyncOrder.transaction():  # BEGIN ... COMMIT on the async connection
            for status in ("open", "open", "paid"):
                await AsyncOrder(customer_id=margaret.id, status=status).save()

        orders = await margaret.orders()
        paid = await AsyncOrder.query().where(AsyncOrder.c.status == "paid").count()
        say(
            "async",
            f"Margaret #{margaret.id} placed {len(orders)} orders in one transaction; "
            f"{paid} orders are paid in the whole shop",
        )

        latest = await AsyncOrder.query().order_by(("id", "DESC")).limit(1).one()
        owner = await latest.customer()
        say("async", f"latest order #{latest.id} ({latest.status}) belongs to {owner.name}")
