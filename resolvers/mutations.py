"""Mutation resolvers: one transaction each, rule failures returned as data, not raised."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

import models
from infra.transactions import run_in_transaction
from models import global_ids
from resolvers.context import Context
from services import (
    changes,
    new_customers,
    purchases,
    quantity,
    renewals,
    status_changes,
    webhooks,
)
from services.errors import DomainError
from services.prices import ChargePreview
from services.validation import check_opaque

security_log = logging.getLogger("csp.security")
# Rejections that may be someone probing for objects or rights they do not have.
_SECURITY_CODES = frozenset({"FORBIDDEN", "NOT_FOUND", "NOT_MANAGEABLE"})
MAX_CLIENT_MUTATION_ID = 200
P = TypeVar("P")


@dataclass(frozen=True)
class Outcome:
    """What a mutation's payload shows: the object as it is now, what the change costs, or
    why nothing changed."""

    subscription: models.Subscription | None = None
    preview: ChargePreview | None = None
    customer: models.Customer | None = None
    endpoint: models.WebhookEndpoint | None = None
    secret: str | None = None  # a webhook endpoint's, shown once
    deleted_id: str | None = None
    error: DomainError | None = None


async def run(
    ctx: Context,
    operation: str,
    client_mutation_id: str | None,
    work: Callable[[AsyncSession], Awaitable[Outcome]],
) -> Outcome:
    try:
        if client_mutation_id is not None:
            check_opaque(
                client_mutation_id, ("clientMutationId",), max_length=MAX_CLIENT_MUTATION_ID
            )
        db = ctx.database
        outcome = await run_in_transaction(db.write_sessions, work, db.write_queue)
        ctx.commits += 1
        db.wakeups.committed()
        return outcome
    except DomainError as error:
        return _refused(ctx, operation, error)


async def run_prepared(
    ctx: Context,
    operation: str,
    prepare: Callable[[], Awaitable[P]],
    work: Callable[[AsyncSession, P], Awaitable[Outcome]],
) -> Outcome:
    """`run`, after `prepare`: what takes time (a DNS lookup) happens before the transaction
    begins, so that no lock (SQLite's writer queue included) is held meanwhile."""
    try:
        prepared = await prepare()
    except DomainError as error:
        return _refused(ctx, operation, error)

    async def prepared_work(session: AsyncSession) -> Outcome:
        return await work(session, prepared)

    return await run(ctx, operation, None, prepared_work)


def _refused(ctx: Context, operation: str, error: DomainError) -> Outcome:
    if error.code in _SECURITY_CODES:
        security_log.warning(
            "mutation rejected",
            extra={
                "event": "mutation_rejected",
                "request_id": ctx.request_id,
                "principal_id": ctx.viewer.principal_id,
                "operation": operation,
                "code": error.code,
            },
        )
    return Outcome(error=error)


class SubscriptionChangeInput(Protocol):
    """What every input that changes one subscription holds (schema/payloads.py)."""

    @property
    def subscription_id(self) -> str: ...

    @property
    def expected_version(self) -> int | None: ...

    @property
    def validate_only(self) -> bool | None: ...

    @property
    def client_mutation_id(self) -> str | None: ...


# The service's change, given the session, the subscription's key, the version the client
# expects, and whether it is a dry run.
ServiceChange = Callable[[AsyncSession, int, int | None, bool], Awaitable[changes.Changed]]


async def _change(
    ctx: Context, operation: str, args: SubscriptionChangeInput, change: ServiceChange
) -> Outcome:
    pk = global_ids.decode(args.subscription_id, "CustomerSubscription")

    async def work(session: AsyncSession) -> Outcome:
        found = await change(session, pk, args.expected_version, bool(args.validate_only))
        return Outcome(found.subscription, found.preview)

    return await run(ctx, operation, args.client_mutation_id, work)


async def change_quantity(ctx: Context, args: SubscriptionChangeInput, new: int) -> Outcome:
    return await _change(
        ctx,
        "changeQuantity",
        args,
        lambda s, pk, version, dry: quantity.change_quantity(s, ctx.viewer, pk, new, version, dry),
    )


async def change_status(ctx: Context, args: SubscriptionChangeInput, status: str) -> Outcome:
    return await _change(
        ctx,
        "changeStatus",
        args,
        lambda s, pk, version, dry: status_changes.change_status(
            s, ctx.viewer, pk, status, version, dry
        ),
    )


async def change_renewal(
    ctx: Context, args: SubscriptionChangeInput, request: renewals.RenewalRequest
) -> Outcome:
    return await _change(
        ctx,
        "changeRenewal",
        args,
        lambda s, pk, version, dry: renewals.change_renewal(
            s, ctx.viewer, pk, request, version, dry
        ),
    )


async def rename_subscription(ctx: Context, args: SubscriptionChangeInput, name: str) -> Outcome:
    return await _change(
        ctx,
        "renameSubscription",
        args,
        lambda s, pk, version, dry: changes.rename(s, ctx.viewer, pk, name, version, dry),
    )


class AddSubscriptionInput(Protocol):
    """What addSubscription's GraphQL input holds (schema/payloads.py), as this layer reads it."""

    @property
    def customer_id(self) -> str: ...

    @property
    def offer_id(self) -> str: ...

    @property
    def quantity(self) -> int: ...

    @property
    def friendly_name(self) -> str | None: ...

    @property
    def parent_subscription_id(self) -> str | None: ...

    @property
    def idempotency_key(self) -> str | None: ...

    @property
    def validate_only(self) -> bool | None: ...

    @property
    def client_mutation_id(self) -> str | None: ...


async def add_subscription(
    ctx: Context,
    args: AddSubscriptionInput,
    billing_cycle: str | None,
    term_duration: str | None,
) -> Outcome:
    request = purchases.NewSubscription(
        customer_id=global_ids.decode(args.customer_id, "Customer"),
        offer_id=global_ids.decode(args.offer_id, "Offer"),
        quantity=args.quantity,
        friendly_name=args.friendly_name,
        billing_cycle=billing_cycle,
        parent_subscription_id=None
        if args.parent_subscription_id is None
        else global_ids.decode(args.parent_subscription_id, "CustomerSubscription"),
        term_duration=term_duration,
    )

    async def work(session: AsyncSession) -> Outcome:
        bought = await purchases.add_subscription(
            session, ctx.viewer, request, args.idempotency_key, bool(args.validate_only)
        )
        return Outcome(bought.subscription, bought.preview)

    return await run(ctx, "addSubscription", args.client_mutation_id, work)


class CreateCustomerInput(Protocol):
    """What createCustomer's GraphQL input holds (schema/payloads.py), as this layer reads it."""

    @property
    def company_name(self) -> str: ...

    @property
    def domain_prefix(self) -> str: ...

    @property
    def country(self) -> str: ...

    @property
    def admin_name(self) -> str: ...

    @property
    def admin_email(self) -> str: ...

    @property
    def idempotency_key(self) -> str | None: ...

    @property
    def validate_only(self) -> bool | None: ...

    @property
    def client_mutation_id(self) -> str | None: ...


async def create_customer(ctx: Context, args: CreateCustomerInput) -> Outcome:
    request = new_customers.NewCustomer(
        company_name=args.company_name,
        domain_prefix=args.domain_prefix,
        country=args.country,
        admin_name=args.admin_name,
        admin_email=args.admin_email,
    )

    async def work(session: AsyncSession) -> Outcome:
        created = await new_customers.create_customer(
            session, ctx.viewer, request, args.idempotency_key, bool(args.validate_only)
        )
        return Outcome(customer=created)

    return await run(ctx, "createCustomer", args.client_mutation_id, work)


def _endpoint(done: webhooks.Created) -> Outcome:
    return Outcome(endpoint=done.endpoint, secret=done.secret)


async def create_webhook_endpoint(ctx: Context, url: str, event_types: list[str]) -> Outcome:
    async def prepare() -> webhooks.CheckedUrl | None:
        return await webhooks.check_url(ctx.viewer, url, ctx.allow_private_webhook_targets)

    async def work(session: AsyncSession, checked: webhooks.CheckedUrl | None) -> Outcome:
        assert checked is not None  # the URL is required
        return _endpoint(await webhooks.create_endpoint(session, ctx.viewer, checked, event_types))

    return await run_prepared(ctx, "createWebhookEndpoint", prepare, work)


async def update_webhook_endpoint(
    ctx: Context,
    endpoint_id: str,
    url: str | None,
    event_types: list[str] | None,
    enabled: bool | None,
) -> Outcome:
    pk = global_ids.decode(endpoint_id, "WebhookEndpoint")

    async def prepare() -> webhooks.CheckedUrl | None:
        return await webhooks.check_url(ctx.viewer, url, ctx.allow_private_webhook_targets)

    async def work(session: AsyncSession, checked: webhooks.CheckedUrl | None) -> Outcome:
        return _endpoint(
            await webhooks.update_endpoint(session, ctx.viewer, pk, checked, event_types, enabled)
        )

    return await run_prepared(ctx, "updateWebhookEndpoint", prepare, work)


async def rotate_webhook_secret(ctx: Context, endpoint_id: str) -> Outcome:
    pk = global_ids.decode(endpoint_id, "WebhookEndpoint")

    async def work(session: AsyncSession) -> Outcome:
        return _endpoint(await webhooks.rotate_secret(session, ctx.viewer, pk))

    return await run(ctx, "rotateWebhookSecret", None, work)


async def delete_webhook_endpoint(ctx: Context, endpoint_id: str) -> Outcome:
    pk = global_ids.decode(endpoint_id, "WebhookEndpoint")

    async def work(session: AsyncSession) -> Outcome:
        await webhooks.delete_endpoint(session, ctx.viewer, pk)
        return Outcome(deleted_id=endpoint_id)

    return await run(ctx, "deleteWebhookEndpoint", None, work)
