"""Mutation inputs and payloads, shaped by the contract."""

from typing import Self

import strawberry

from resolvers.mutations import Outcome
from schema.customer import Customer
from schema.enums import (
    BillingCycle,
    SubscriptionStatus,
    TermDuration,
    UserErrorCode,
    WebhookEventType,
)
from schema.money import ChargePreview
from schema.subscription import CustomerSubscription
from schema.webhook import WebhookEndpoint

_VALIDATE_ONLY = "Check everything, change nothing, and return the preview and the object as it is."
_EXPECTED_VERSION = "The version the change is meant for; another: VERSION_CONFLICT."
_CLIENT_MUTATION_ID = "Echoed in the payload, for the client's own bookkeeping."


@strawberry.input(description="changeQuantity's input.")
class ChangeQuantityInput:
    subscription_id: strawberry.ID = strawberry.field(description="The subscription.")
    quantity: int = strawberry.field(description="The new number of licences.")
    expected_version: int | None = strawberry.field(default=None, description=_EXPECTED_VERSION)
    validate_only: bool | None = strawberry.field(default=False, description=_VALIDATE_ONLY)
    client_mutation_id: str | None = strawberry.field(default=None, description=_CLIENT_MUTATION_ID)


@strawberry.input(description="changeStatus's input.")
class ChangeStatusInput:
    subscription_id: strawberry.ID = strawberry.field(description="The subscription.")
    status: SubscriptionStatus = strawberry.field(
        description="SUSPENDED, ACTIVE (reactivate) or CANCELLED; the others come with time."
    )
    expected_version: int | None = strawberry.field(default=None, description=_EXPECTED_VERSION)
    validate_only: bool | None = strawberry.field(default=False, description=_VALIDATE_ONLY)
    client_mutation_id: str | None = strawberry.field(default=None, description=_CLIENT_MUTATION_ID)


@strawberry.input(description="A change scheduled for the renewal.")
class NextTermInput:
    quantity: int = strawberry.field(description="Licences from the renewal on.")
    term_duration: TermDuration = strawberry.field(description="The next term's length.")
    billing_cycle: BillingCycle = strawberry.field(description="How the next term is billed.")


@strawberry.input(description="changeRenewal's input: give at least one change.")
class ChangeRenewalInput:
    subscription_id: strawberry.ID = strawberry.field(description="The subscription.")
    auto_renew: bool | None = strawberry.field(
        default=None, description="Renew at the term's end; false also drops the next term."
    )
    next_term: NextTermInput | None = strawberry.field(
        default=None, description="Schedule this change for the renewal (needs autoRenew)."
    )
    clear_next_term: bool | None = strawberry.field(
        default=False, description="Drop the change scheduled for the renewal."
    )
    expected_version: int | None = strawberry.field(default=None, description=_EXPECTED_VERSION)
    validate_only: bool | None = strawberry.field(default=False, description=_VALIDATE_ONLY)
    client_mutation_id: str | None = strawberry.field(default=None, description=_CLIENT_MUTATION_ID)


@strawberry.input(description="renameSubscription's input.")
class RenameSubscriptionInput:
    subscription_id: strawberry.ID = strawberry.field(description="The subscription.")
    friendly_name: str = strawberry.field(description="The new name, 1 to 100 characters.")
    expected_version: int | None = strawberry.field(default=None, description=_EXPECTED_VERSION)
    validate_only: bool | None = strawberry.field(default=False, description=_VALIDATE_ONLY)
    client_mutation_id: str | None = strawberry.field(default=None, description=_CLIENT_MUTATION_ID)


@strawberry.input(description="addSubscription's input.")
class AddSubscriptionInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer to buy for.")
    offer_id: strawberry.ID = strawberry.field(description="The offer to buy.")
    quantity: int = strawberry.field(description="Licences to buy.")
    friendly_name: str | None = strawberry.field(
        default=None, description="A name for it; default: the offer's."
    )
    billing_cycle: BillingCycle | None = strawberry.field(
        default=None, description="Default: the offer's first billing cycle."
    )
    parent_subscription_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="An add-on's base; default: the customer's oldest active subscription of a "
        "prerequisite offer.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Same key + same input: the first result again, nothing new created.",
    )
    validate_only: bool | None = strawberry.field(
        default=False, description="Check everything, change nothing; the preview says the cost."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=_CLIENT_MUTATION_ID)
    term_duration: TermDuration | None = strawberry.field(
        default=None, description="Default: the offer's first term in the chosen billing cycle."
    )


@strawberry.type(description="Why a mutation changed nothing.")
class UserError:
    field: list[str] | None = strawberry.field(description="The input's path to the culprit.")
    message: str = strawberry.field(description="What to fix, in words.")
    code: UserErrorCode = strawberry.field(description="What to fix, for code.")

    @classmethod
    def all_of(cls, outcome: Outcome) -> list["UserError"]:
        error = outcome.error
        if error is None:
            return []
        return [
            cls(
                field=None if error.field is None else ["input", *error.field],
                message=error.message,
                code=UserErrorCode(error.code),
            )
        ]


@strawberry.type
class SubscriptionPayload:
    subscription: CustomerSubscription | None = strawberry.field(
        description="The subscription as it is now; null when it is not visible or not bought."
    )
    preview: ChargePreview | None = strawberry.field(
        description="What the change is charged or credited; null when nothing is."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Empty exactly when the mutation succeeded."
    )
    client_mutation_id: str | None = strawberry.field(description="The input's, echoed.")

    @classmethod
    def build(cls, outcome: Outcome, client_mutation_id: str | None) -> Self:
        return cls(
            subscription=None
            if outcome.subscription is None
            else CustomerSubscription.from_model(outcome.subscription),
            preview=ChargePreview.of(outcome.preview),
            user_errors=UserError.all_of(outcome),
            client_mutation_id=client_mutation_id,
        )


@strawberry.type(description="changeQuantity's result.")
class ChangeQuantityPayload(SubscriptionPayload):
    pass


@strawberry.type(description="changeStatus's result.")
class ChangeStatusPayload(SubscriptionPayload):
    pass


@strawberry.type(description="addSubscription's result.")
class AddSubscriptionPayload(SubscriptionPayload):
    pass


@strawberry.type(description="changeRenewal's result.")
class ChangeRenewalPayload(SubscriptionPayload):
    pass


@strawberry.type(description="renameSubscription's result.")
class RenameSubscriptionPayload(SubscriptionPayload):
    pass


@strawberry.input(
    description="createCustomer's input: the customer's account and its first administrator."
)
class CreateCustomerInput:
    company_name: str = strawberry.field(
        description="The company's legal name, 2 to 255 characters, not only a legal form."
    )
    domain_prefix: str = strawberry.field(
        description="Letters a-z and digits, 1 to 63: the domain becomes <prefix>.onmicrosoft.com."
    )
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 code, such as US or DE.")
    admin_name: str = strawberry.field(
        description="The full name of the customer's first administrator (CUSTOMER_ADMIN)."
    )
    admin_email: str = strawberry.field(
        description="The administrator's own e-mail address: not at microsoft.com or the "
        "partner's domain, and no other user's."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Same key + same input: the first result again, nothing new created.",
    )
    validate_only: bool | None = strawberry.field(
        default=False, description="Check everything, create nothing; customer is then null."
    )
    client_mutation_id: str | None = strawberry.field(default=None, description=_CLIENT_MUTATION_ID)


@strawberry.type(description="createCustomer's result.")
class CreateCustomerPayload:
    customer: Customer | None = strawberry.field(
        description="The new customer; null after validateOnly or when nothing was created."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Empty exactly when the mutation succeeded."
    )
    client_mutation_id: str | None = strawberry.field(description="The input's, echoed.")

    @classmethod
    def build(cls, outcome: Outcome, client_mutation_id: str | None) -> Self:
        return cls(
            customer=None if outcome.customer is None else Customer.from_model(outcome.customer),
            user_errors=UserError.all_of(outcome),
            client_mutation_id=client_mutation_id,
        )


_SECRET = (
    "The signing secret (whsec_...), shown only in this answer: keep it; null when nothing changed."
)


@strawberry.input(description="createWebhookEndpoint's input.")
class CreateWebhookEndpointInput:
    url: str = strawberry.field(
        description="https:// URL of a public host (http and private hosts only on servers "
        "started with WEBHOOK_ALLOW_PRIVATE_TARGETS=true)."
    )
    event_types: list[WebhookEventType] = strawberry.field(
        description="The events to receive: at least one."
    )


@strawberry.input(description="updateWebhookEndpoint's input: what is given changes.")
class UpdateWebhookEndpointInput:
    id: strawberry.ID = strawberry.field(description="The endpoint.")
    url: str | None = strawberry.field(
        default=None, description="A new URL, checked as at creation."
    )
    event_types: list[WebhookEventType] | None = strawberry.field(
        default=None, description="The events to receive from now on: at least one."
    )
    enabled: bool | None = strawberry.field(
        default=None, description="Switch deliveries off, or back on (clearing past failures)."
    )


@strawberry.input(description="rotateWebhookSecret's input.")
class RotateWebhookSecretInput:
    id: strawberry.ID = strawberry.field(description="The endpoint.")


@strawberry.input(description="deleteWebhookEndpoint's input.")
class DeleteWebhookEndpointInput:
    id: strawberry.ID = strawberry.field(description="The endpoint; its deliveries go with it.")


def _endpoint(outcome: Outcome) -> WebhookEndpoint | None:
    return None if outcome.endpoint is None else WebhookEndpoint.from_model(outcome.endpoint)


@strawberry.type
class EndpointPayload:
    endpoint: WebhookEndpoint | None = strawberry.field(
        description="The endpoint as it is now; null when nothing changed."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Empty exactly when the mutation succeeded."
    )

    @classmethod
    def build(cls, outcome: Outcome) -> Self:
        return cls(endpoint=_endpoint(outcome), user_errors=UserError.all_of(outcome))


@strawberry.type
class SecretPayload(EndpointPayload):
    secret: str | None = strawberry.field(default=None, description=_SECRET)

    @classmethod
    def build(cls, outcome: Outcome) -> Self:
        return cls(
            endpoint=_endpoint(outcome),
            secret=outcome.secret,
            user_errors=UserError.all_of(outcome),
        )


@strawberry.type(description="createWebhookEndpoint's result.")
class CreateWebhookEndpointPayload(SecretPayload):
    pass


@strawberry.type(description="updateWebhookEndpoint's result.")
class UpdateWebhookEndpointPayload(EndpointPayload):
    pass


@strawberry.type(
    description="rotateWebhookSecret's result: the previous secret signs too for 24 hours."
)
class RotateWebhookSecretPayload(SecretPayload):
    pass


@strawberry.type(description="deleteWebhookEndpoint's result.")
class DeleteWebhookEndpointPayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        description="The deleted endpoint's id; null when nothing was deleted."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Empty exactly when the mutation succeeded."
    )

    @classmethod
    def build(cls, outcome: Outcome) -> Self:
        deleted = None if outcome.deleted_id is None else strawberry.ID(outcome.deleted_id)
        return cls(deleted_id=deleted, user_errors=UserError.all_of(outcome))
