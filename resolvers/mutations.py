"""Mutation resolvers: one transaction each, rule failures returned as data, not raised."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

import models
from infra.transactions import run_in_transaction
from models import global_ids
from resolvers.context import Context
from services import changes, purchases
from services.errors import DomainError
from services.validation import check_opaque

security_log = logging.getLogger("csp.security")
# Rejections that may be someone probing for objects or rights they do not have.
_SECURITY_CODES = frozenset({"FORBIDDEN", "NOT_FOUND", "NOT_MANAGEABLE"})
MAX_CLIENT_MUTATION_ID = 200


@dataclass(frozen=True)
class Outcome:
    subscription: models.Subscription | None
    error: DomainError | None = None


async def _run(
    ctx: Context,
    operation: str,
    client_mutation_id: str | None,
    work: Callable[[AsyncSession], Awaitable[models.Subscription | None]],
) -> Outcome:
    try:
        if client_mutation_id is not None:
            check_opaque(
                client_mutation_id, ("clientMutationId",), max_length=MAX_CLIENT_MUTATION_ID
            )
        changed = await run_in_transaction(ctx.write_sessions, work, ctx.write_queue)
        ctx.commits += 1
        return Outcome(changed)
    except DomainError as error:
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
        return Outcome(None, error)


async def change_quantity(
    ctx: Context,
    subscription_id: str,
    quantity: int,
    expected_version: int | None,
    client_mutation_id: str | None,
) -> Outcome:
    pk = global_ids.decode(subscription_id, "CustomerSubscription")
    return await _run(
        ctx,
        "changeQuantity",
        client_mutation_id,
        lambda s: changes.change_quantity(s, ctx.viewer, pk, quantity, expected_version),
    )


async def change_status(
    ctx: Context,
    subscription_id: str,
    status: str,
    expected_version: int | None,
    client_mutation_id: str | None,
) -> Outcome:
    pk = global_ids.decode(subscription_id, "CustomerSubscription")
    return await _run(
        ctx,
        "changeStatus",
        client_mutation_id,
        lambda s: changes.change_status(s, ctx.viewer, pk, status, expected_version),
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
    ctx: Context, args: AddSubscriptionInput, billing_cycle: str | None
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
    )
    return await _run(
        ctx,
        "addSubscription",
        args.client_mutation_id,
        lambda s: purchases.add_subscription(
            s, ctx.viewer, request, args.idempotency_key, bool(args.validate_only)
        ),
    )
