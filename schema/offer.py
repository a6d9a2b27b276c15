import strawberry
from strawberry.types import Info

import models
from models import global_ids
from resolvers.context import Context
from schema.enums import BillingCycle, TermDuration
from schema.money import Money
from schema.node import Node
from services import prices
from services.money import Money as ExactMoney


@strawberry.type(description="A product of the catalogue that partners may be authorised to sell.")
class Offer(Node):
    pk: strawberry.Private[int]
    name: str = strawberry.field(description="The product's name, e.g. Microsoft 365 E3.")
    sku: str = strawberry.field(description="The product's stock-keeping unit, e.g. M365-E3.")
    min_quantity: int = strawberry.field(description="The fewest licences a subscription may have.")
    max_quantity: int = strawberry.field(description="The most licences a subscription may have.")
    is_add_on: bool = strawberry.field(
        description="An add-on needs an active subscription to one of its prerequisite offers."
    )
    billing_cycles: list[BillingCycle] = strawberry.field(
        description="The billing cycles it is sold with; the first is addSubscription's default."
    )
    seat_limit_per_customer: int | None = strawberry.field(
        description="A customer's licences across every offer with a limit (the Business "
        "plans), whoever sold them, stay within it; null: no limit."
    )

    @classmethod
    def from_model(cls, row: models.Offer) -> "Offer":
        return cls(
            id=strawberry.ID(global_ids.encode("Offer", row.id)),
            pk=row.id,
            name=row.name,
            sku=row.sku,
            min_quantity=row.min_quantity,
            max_quantity=row.max_quantity,
            is_add_on=row.is_add_on,
            billing_cycles=[BillingCycle(cycle) for cycle in row.billing_cycles.split(",")],
            seat_limit_per_customer=row.seat_limit_per_customer,
        )

    @strawberry.field(
        description="For an add-on, the offers it needs an active subscription to (any one of "
        "them); empty for a base offer."
    )
    async def prerequisite_offers(self, info: Info[Context, None]) -> list["Offer"]:
        offers = await info.context.loaders.prerequisites_by_offer_id.load(self.pk)
        return [Offer.from_model(offer) for offer in offers]

    @strawberry.field(
        description="What may be bought, in the viewer's currency: a price per licence per "
        "billing period, ordered by the offer's billing cycles, then shortest term first."
    )
    async def terms(self, info: Info[Context, None]) -> list["OfferTerm"]:
        found = await info.context.loaders.terms_by_offer_id.load(self.pk)
        cycles = [cycle.value for cycle in self.billing_cycles]
        return [
            OfferTerm(
                term_duration=TermDuration(term.term_duration),
                billing_cycle=BillingCycle(term.billing_cycle),
                unit_price=Money.of(ExactMoney(term.unit_price, term.currency)),
            )
            for term in prices.ordered(found, cycles)
        ]


@strawberry.type(description="A term that may be bought, and its price.")
class OfferTerm:
    term_duration: TermDuration = strawberry.field(description="The term's length.")
    billing_cycle: BillingCycle = strawberry.field(description="How often it is billed.")
    unit_price: Money = strawberry.field(description="The price per licence per billing period.")
