import strawberry
from strawberry.types import Info

from resolvers import mutations
from resolvers.context import Context
from schema.payloads import (
    AddSubscriptionInput,
    AddSubscriptionPayload,
    ChangeQuantityInput,
    ChangeQuantityPayload,
    ChangeStatusInput,
    ChangeStatusPayload,
)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Change the number of licenses of a subscription.")
    async def change_quantity(
        self, info: Info[Context, None], input: ChangeQuantityInput
    ) -> ChangeQuantityPayload:
        outcome = await mutations.change_quantity(
            info.context,
            input.subscription_id,
            input.quantity,
            input.expected_version,
            input.client_mutation_id,
        )
        return ChangeQuantityPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Suspend (starts cancellation, data kept 90 days) or reactivate a subscription."
    )
    async def change_status(
        self, info: Info[Context, None], input: ChangeStatusInput
    ) -> ChangeStatusPayload:
        outcome = await mutations.change_status(
            info.context,
            input.subscription_id,
            input.status.value,
            input.expected_version,
            input.client_mutation_id,
        )
        return ChangeStatusPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(description="Buy a subscription for a customer, on the partner's account.")
    async def add_subscription(
        self, info: Info[Context, None], input: AddSubscriptionInput
    ) -> AddSubscriptionPayload:
        cycle = None if input.billing_cycle is None else input.billing_cycle.value
        outcome = await mutations.add_subscription(info.context, input, cycle)
        return AddSubscriptionPayload.build(outcome, input.client_mutation_id)
