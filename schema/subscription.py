from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

import models
from models import global_ids
from resolvers import relations
from resolvers.context import Context
from schema import activity as activity_types
from schema import customer as customer_types
from schema.connection import After, Connection, First, connection
from schema.enums import (
    BillingCycle,
    NotManageableReason,
    SalesChannel,
    SubscriptionAction,
    SubscriptionStatus,
    TermDuration,
)
from schema.money import Money
from schema.node import Node
from schema.offer import Offer
from services import lifecycle, prices
from services.pagination import PageArgs

if TYPE_CHECKING:
    from schema.activity import Activity
    from schema.customer import Customer

LazyCustomer = Annotated["Customer", strawberry.lazy("schema.customer")]
LazyActivity = Annotated["Activity", strawberry.lazy("schema.activity")]


@strawberry.type(
    description="Licences of one offer for one customer, sold by a partner or bought directly."
)
class CustomerSubscription(Node):
    model: strawberry.Private[models.Subscription]
    friendly_name: str = strawberry.field(
        description="A name for people, 1 to 100 characters; by default the offer's name."
    )
    quantity: int = strawberry.field(description="The number of licences (seats).")
    status: SubscriptionStatus = strawberry.field(
        description="Where it is in its lifecycle; clients must tolerate values added later."
    )
    channel: SalesChannel = strawberry.field(
        description="PARTNER: sold by a partner. DIRECT: bought by the customer itself."
    )
    billing_cycle: BillingCycle = strawberry.field(
        description="How often the current term is invoiced."
    )
    auto_renew: bool = strawberry.field(
        description="Renew when the term ends; false: expire then. On at purchase; suspending or "
        "cancelling turns it off."
    )
    created_at: datetime = strawberry.field(description="When it was bought.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    suspended_at: datetime | None = strawberry.field(
        description="When it was suspended; null if it was never suspended, or reactivated or "
        "cancelled since."
    )
    version: int = strawberry.field(
        description="+1 on every change; send it back as expectedVersion."
    )

    @classmethod
    def from_model(cls, row: models.Subscription) -> "CustomerSubscription":
        return cls(
            id=strawberry.ID(global_ids.encode("CustomerSubscription", row.id)),
            model=row,
            friendly_name=row.friendly_name,
            quantity=row.quantity,
            status=SubscriptionStatus(row.status),
            channel=SalesChannel(row.channel),
            billing_cycle=BillingCycle(row.billing_cycle),
            auto_renew=row.auto_renew,
            created_at=row.created_at,
            updated_at=row.updated_at,
            suspended_at=row.suspended_at,
            version=row.version,
        )

    @strawberry.field(
        description="When a subscription on its way out (SUSPENDED, EXPIRED, DISABLED) is "
        "deleted, unless it is reactivated first; null for the others."
    )
    def data_retention_ends_at(self) -> datetime | None:
        return lifecycle.deletion_due(self.model)

    @strawberry.field(description="The current term's length.")
    def term_duration(self) -> TermDuration:
        return TermDuration(self.model.term_duration)

    @strawberry.field(description="The current term's last day (the term ends at its end, UTC).")
    def commitment_end_date(self) -> date:
        return self.model.commitment_end_date

    @strawberry.field(
        description="The last instant the current term may be cancelled, 168 hours after its "
        "purchase or renewal; null once that has passed, or when it cannot be cancelled."
    )
    def cancellation_allowed_until(self, info: Info[Context, None]) -> datetime | None:
        return prices.cancellation_allowed_until(self.model, info.context.now)

    @strawberry.field(description="The price per licence per billing period.")
    def unit_price(self) -> Money:
        return Money.of(prices.unit_price_of(self.model))

    @strawberry.field(description="A change scheduled for the renewal; null: renew as is.")
    def next_term(self) -> "NextTerm | None":
        row = self.model
        if row.next_term_quantity is None:
            return None
        return NextTerm(
            quantity=row.next_term_quantity,
            term_duration=TermDuration(row.next_term_duration),
            billing_cycle=BillingCycle(row.next_term_billing_cycle),
        )

    @strawberry.field(
        description="Seats that may still be removed, batch by batch (each for 168 hours after "
        "it was bought)."
    )
    async def refundable_quantity(self, info: Info[Context, None]) -> "RefundableQuantity":
        batches = await info.context.loaders.open_batches_by_subscription_id.load(self.model.id)
        return RefundableQuantity(
            total_quantity=sum(batch.quantity for batch in batches),
            details=[
                RefundableBatch(quantity=batch.quantity, allowed_until=batch.refundable_until)
                for batch in batches
            ],
        )

    @strawberry.field(
        description="What the viewer may do now; empty when canManage is false, and may be "
        "empty when it is true (e.g. CANCELLED)."
    )
    async def actions(self, info: Info[Context, None]) -> list[SubscriptionAction]:
        found = await info.context.loaders.actions_by_subscription_id.load(self.model.id)
        return [SubscriptionAction(action.value) for action in found]

    @strawberry.field(
        description="Null exactly when canManage is true; when several apply, the first in "
        "this order: ROLE_READ_ONLY, PARTNER_CREATED_ACCOUNT, DIRECT_PURCHASE, SOLD_BY_PARTNER."
    )
    async def not_manageable_reason(self, info: Info[Context, None]) -> NotManageableReason | None:
        loader = info.context.loaders.not_manageable_reason_by_subscription_id
        reason = await loader.load(self.model.id)
        return None if reason is None else NotManageableReason(reason)

    @strawberry.field(description="The add-ons attached to this subscription.")
    async def add_ons(
        self, info: Info[Context, None], first: First = None, after: After = None
    ) -> Connection["CustomerSubscription"]:
        page, count = await relations.subscriptions_of(
            info.context, "base", self.model.id, PageArgs(first, after)
        )
        return connection(page, CustomerSubscription.from_model, count)

    @strawberry.field(description="The customer it belongs to.")
    async def customer(self, info: Info[Context, None]) -> LazyCustomer:
        row = await info.context.loaders.customer_by_id.load(self.model.customer_id)
        assert row is not None  # a visible subscription's customer is visible
        return customer_types.Customer.from_model(row)

    @strawberry.field(description="What was bought.")
    async def offer(self, info: Info[Context, None]) -> Offer:
        row = await info.context.loaders.offer_by_id.load(self.model.offer_id)
        assert row is not None  # a foreign key guarantees it
        return Offer.from_model(row)

    @strawberry.field(description="The base subscription an add-on is attached to.")
    async def parent_subscription(self, info: Info[Context, None]) -> "CustomerSubscription | None":
        if self.model.parent_subscription_id is None:
            return None
        row = await info.context.loaders.subscription_by_id.load(self.model.parent_subscription_id)
        return None if row is None else CustomerSubscription.from_model(row)

    @strawberry.field(description="May the viewer change it.")
    async def can_manage(self, info: Info[Context, None]) -> bool:
        return await relations.can_manage(info.context, self.model)

    @strawberry.field(description="Changes to this subscription, newest first.")
    async def activity(
        self, info: Info[Context, None], first: First = None, after: After = None
    ) -> Connection[LazyActivity]:
        page, count = await relations.activity_of(
            info.context, "subscription", self.model.id, PageArgs(first, after)
        )
        return connection(page, activity_types.Activity.from_model, count)


@strawberry.type(description="A change scheduled for the renewal.")
class NextTerm:
    quantity: int = strawberry.field(description="Licences from the renewal on.")
    term_duration: TermDuration = strawberry.field(description="The next term's length.")
    billing_cycle: BillingCycle = strawberry.field(description="How the next term is billed.")


@strawberry.type(description="Seats bought together, removable until their window closes.")
class RefundableBatch:
    quantity: int = strawberry.field(description="Seats of the batch that may still be removed.")
    allowed_until: datetime = strawberry.field(description="When the batch's window closes.")


@strawberry.type(description="Seats that may still be removed.")
class RefundableQuantity:
    total_quantity: int = strawberry.field(description="All of them.")
    details: list[RefundableBatch] = strawberry.field(
        description="By batch, the soonest to close first."
    )
