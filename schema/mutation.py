from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers import mutations
from resolvers.context import Context
from schema.payloads import (
    AddSubscriptionInput,
    AddSubscriptionPayload,
    ChangeQuantityInput,
    ChangeQuantityPayload,
    ChangeRenewalInput,
    ChangeRenewalPayload,
    ChangeStatusInput,
    ChangeStatusPayload,
    CreateCustomerInput,
    CreateCustomerPayload,
    CreateWebhookEndpointInput,
    CreateWebhookEndpointPayload,
    DeleteWebhookEndpointInput,
    DeleteWebhookEndpointPayload,
    RenameSubscriptionInput,
    RenameSubscriptionPayload,
    RotateWebhookSecretInput,
    RotateWebhookSecretPayload,
    UpdateWebhookEndpointInput,
    UpdateWebhookEndpointPayload,
)
from services.renewals import NextTerm, RenewalRequest


@strawberry.type(
    description="Changes. Each succeeds completely (userErrors empty; the payload shows the new "
    "state) or changes nothing (userErrors say why); with validateOnly it checks everything and "
    "changes nothing."
)
class Mutation:
    @strawberry.mutation(
        description="Change the number of licences: more at any time while active; fewer only "
        "by seats still in their 168-hour window. Codes: NOT_FOUND, FORBIDDEN, NOT_MANAGEABLE, "
        "VERSION_CONFLICT, SUBSCRIPTION_NOT_ACTIVE, RENEWAL_IN_PROGRESS, QUANTITY_OUT_OF_RANGE, "
        "QUANTITY_UNCHANGED, PARENT_NOT_ACTIVE, SEAT_LIMIT_EXCEEDED, "
        "QUANTITY_DECREASE_NOT_ALLOWED, INVALID_INPUT."
    )
    async def change_quantity(
        self,
        info: Info[Context, None],
        input: Annotated[
            ChangeQuantityInput,
            strawberry.argument(description="The subscription and its new number of licences."),
        ],
    ) -> ChangeQuantityPayload:
        outcome = await mutations.change_quantity(info.context, input, input.quantity)
        return ChangeQuantityPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Suspend, reactivate (before the term ends) or cancel (inside the "
        "168-hour window, with a prorated refund); add-ons follow their base. Codes: NOT_FOUND, "
        "FORBIDDEN, NOT_MANAGEABLE, VERSION_CONFLICT, INVALID_STATUS_TRANSITION, "
        "RENEWAL_IN_PROGRESS, PARENT_NOT_ACTIVE, CANCELLATION_WINDOW_PASSED, INVALID_INPUT."
    )
    async def change_status(
        self,
        info: Info[Context, None],
        input: Annotated[
            ChangeStatusInput,
            strawberry.argument(description="The subscription and the status it is to have."),
        ],
    ) -> ChangeStatusPayload:
        outcome = await mutations.change_status(info.context, input, input.status.value)
        return ChangeStatusPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Buy a subscription for a customer, on the partner's account (partner roles "
        "that may change subscriptions). Codes: NOT_FOUND, FORBIDDEN, OFFER_NOT_AUTHORIZED, "
        "OFFER_NOT_AVAILABLE, TERM_NOT_AVAILABLE, QUANTITY_OUT_OF_RANGE, PREREQUISITE_MISSING, "
        "PARENT_NOT_ACTIVE, SEAT_LIMIT_EXCEEDED, IDEMPOTENCY_KEY_REUSED, INVALID_INPUT."
    )
    async def add_subscription(
        self,
        info: Info[Context, None],
        input: Annotated[
            AddSubscriptionInput,
            strawberry.argument(description="The customer, the offer, the quantity and options."),
        ],
    ) -> AddSubscriptionPayload:
        cycle = None if input.billing_cycle is None else input.billing_cycle.value
        term = None if input.term_duration is None else input.term_duration.value
        outcome = await mutations.add_subscription(info.context, input, cycle, term)
        return AddSubscriptionPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Auto-renew on or off, and a change scheduled for the renewal (quantity, "
        "term, billing). Codes: NOT_FOUND, FORBIDDEN, NOT_MANAGEABLE, VERSION_CONFLICT, "
        "SUBSCRIPTION_NOT_ACTIVE, RENEWAL_IN_PROGRESS, AUTO_RENEW_REQUIRED, TERM_NOT_AVAILABLE, "
        "QUANTITY_OUT_OF_RANGE, SEAT_LIMIT_EXCEEDED, INVALID_INPUT."
    )
    async def change_renewal(
        self,
        info: Info[Context, None],
        input: Annotated[
            ChangeRenewalInput,
            strawberry.argument(description="The subscription and at least one change."),
        ],
    ) -> ChangeRenewalPayload:
        given = input.next_term
        request = RenewalRequest(
            auto_renew=input.auto_renew,
            next_term=None
            if given is None
            else NextTerm(given.quantity, given.term_duration.value, given.billing_cycle.value),
            clear_next_term=bool(input.clear_next_term),
        )
        outcome = await mutations.change_renewal(info.context, input, request)
        return ChangeRenewalPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Give a subscription a new friendly name. Codes: NOT_FOUND, FORBIDDEN, "
        "NOT_MANAGEABLE, VERSION_CONFLICT, SUBSCRIPTION_NOT_ACTIVE, INVALID_INPUT."
    )
    async def rename_subscription(
        self,
        info: Info[Context, None],
        input: Annotated[
            RenameSubscriptionInput,
            strawberry.argument(description="The subscription and its new name."),
        ],
    ) -> RenameSubscriptionPayload:
        outcome = await mutations.rename_subscription(info.context, input, input.friendly_name)
        return RenameSubscriptionPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Create a customer's account, with the viewer's partner as its partner of "
        "record and one CUSTOMER_ADMIN; the customer cannot manage its own subscriptions. "
        "Codes: FORBIDDEN, DOMAIN_TAKEN, INVALID_INPUT, INVALID_COUNTRY, INVALID_COMPANY_NAME, "
        "INVALID_CONTACT, INVALID_EMAIL, IDEMPOTENCY_KEY_REUSED."
    )
    async def create_customer(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateCustomerInput,
            strawberry.argument(description="The company, its domain, country and first admin."),
        ],
    ) -> CreateCustomerPayload:
        outcome = await mutations.create_customer(info.context, input)
        return CreateCustomerPayload.build(outcome, input.client_mutation_id)

    @strawberry.mutation(
        description="Add a webhook endpoint for the viewer's partner (GLOBAL_ADMIN, "
        "ADMIN_AGENT); the answer holds its signing secret, shown only this once."
    )
    async def create_webhook_endpoint(
        self,
        info: Info[Context, None],
        input: Annotated[
            CreateWebhookEndpointInput,
            strawberry.argument(description="The URL to deliver to, and the events to send."),
        ],
    ) -> CreateWebhookEndpointPayload:
        outcome = await mutations.create_webhook_endpoint(
            info.context, input.url, [t.name for t in input.event_types]
        )
        return CreateWebhookEndpointPayload.build(outcome)

    @strawberry.mutation(description="Change a webhook endpoint's URL, events, or switch.")
    async def update_webhook_endpoint(
        self,
        info: Info[Context, None],
        input: Annotated[
            UpdateWebhookEndpointInput,
            strawberry.argument(description="The endpoint, and what changes."),
        ],
    ) -> UpdateWebhookEndpointPayload:
        types = None if input.event_types is None else [t.name for t in input.event_types]
        outcome = await mutations.update_webhook_endpoint(
            info.context, input.id, input.url, types, input.enabled
        )
        return UpdateWebhookEndpointPayload.build(outcome)

    @strawberry.mutation(
        description="A new signing secret, shown only in this answer; the previous one also "
        "signs for 24 hours."
    )
    async def rotate_webhook_secret(
        self,
        info: Info[Context, None],
        input: Annotated[
            RotateWebhookSecretInput,
            strawberry.argument(description="The endpoint whose secret to replace."),
        ],
    ) -> RotateWebhookSecretPayload:
        outcome = await mutations.rotate_webhook_secret(info.context, input.id)
        return RotateWebhookSecretPayload.build(outcome)

    @strawberry.mutation(description="Delete a webhook endpoint and its deliveries.")
    async def delete_webhook_endpoint(
        self,
        info: Info[Context, None],
        input: Annotated[
            DeleteWebhookEndpointInput, strawberry.argument(description="The endpoint to delete.")
        ],
    ) -> DeleteWebhookEndpointPayload:
        outcome = await mutations.delete_webhook_endpoint(info.context, input.id)
        return DeleteWebhookEndpointPayload.build(outcome)
