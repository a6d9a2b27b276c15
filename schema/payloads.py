"""Mutation inputs and payloads, shaped by the contract."""

from typing import Self

import strawberry

from resolvers.mutations import Outcome
from schema.enums import BillingCycle, SubscriptionStatus, UserErrorCode
from schema.subscription import CustomerSubscription


@strawberry.input
class ChangeQuantityInput:
    subscription_id: strawberry.ID
    quantity: int
    expected_version: int | None = None
    client_mutation_id: str | None = None


@strawberry.input
class ChangeStatusInput:
    subscription_id: strawberry.ID
    status: SubscriptionStatus
    expected_version: int | None = None
    client_mutation_id: str | None = None


@strawberry.input
class AddSubscriptionInput:
    customer_id: strawberry.ID
    offer_id: strawberry.ID
    quantity: int
    friendly_name: str | None = None
    billing_cycle: BillingCycle | None = None
    parent_subscription_id: strawberry.ID | None = None
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Same key + same input: the first result again, nothing new created.",
    )
    validate_only: bool | None = strawberry.field(
        default=False, description="Check everything, change nothing."
    )
    client_mutation_id: str | None = None


@strawberry.type
class UserError:
    field: list[str] | None
    message: str
    code: UserErrorCode


@strawberry.type
class SubscriptionPayload:
    subscription: CustomerSubscription | None
    user_errors: list[UserError]
    client_mutation_id: str | None

    @classmethod
    def build(cls, outcome: Outcome, client_mutation_id: str | None) -> Self:
        error = outcome.error
        return cls(
            subscription=None
            if outcome.subscription is None
            else CustomerSubscription.from_model(outcome.subscription),
            user_errors=[]
            if error is None
            else [
                UserError(
                    field=None if error.field is None else ["input", *error.field],
                    message=error.message,
                    code=UserErrorCode(error.code),
                )
            ],
            client_mutation_id=client_mutation_id,
        )


@strawberry.type
class ChangeQuantityPayload(SubscriptionPayload):
    pass


@strawberry.type
class ChangeStatusPayload(SubscriptionPayload):
    pass


@strawberry.type
class AddSubscriptionPayload(SubscriptionPayload):
    pass
