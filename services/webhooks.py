"""Partners' webhook endpoints, and the outbox's rules: what is due, what each event's body
says, and what an attempt's outcome means (EVENTS.md: the retry schedule, disabling)."""

import base64
import json
import logging
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from infra.webhook_delivery import SECRET_PREFIX, Attempt, Due
from infra.webhook_targets import TargetRefused, resolve
from models import (
    Activity,
    Customer,
    Subscription,
    WebhookDelivery,
    WebhookEndpoint,
    global_ids,
)
from models.base import utcnow
from services import activity, outbox
from services.access import manages_webhooks, visible_webhook_endpoints
from services.errors import DomainError
from services.pagination import Page, PageArgs, bounds, counts, keyset, to_page, window
from services.viewer import Viewer

log = logging.getLogger("csp.webhooks")
MISSING = DomainError("NOT_FOUND", "no such webhook endpoint", ("id",))
# After a rotation the previous secret signs too, so that receivers can switch over.
ROTATION_OVERLAP = timedelta(hours=24)
SECRET_BYTES = 32
_SORT = (WebhookEndpoint.id,)
_DELIVERY_SORT = (WebhookDelivery.id,)  # newest first


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


@dataclass(frozen=True)
class Created:
    """An endpoint, with its secret when this change made one (shown only then)."""

    endpoint: WebhookEndpoint
    secret: str | None = None


def _authorise(viewer: Viewer) -> int:
    if not manages_webhooks(viewer) or viewer.partner_id is None:
        raise DomainError("FORBIDDEN", "your role may not manage webhooks")
    return viewer.partner_id


@dataclass(frozen=True)
class CheckedUrl:
    """A URL the SSRF guard accepted, for the viewer's role: only `check_url` makes one."""

    url: str


async def check_url(viewer: Viewer, url: str | None, allow_private: bool) -> CheckedUrl | None:
    """The role first (nobody else gets a DNS lookup done), then the URL, resolved: a lookup
    takes time, so callers check before their transaction begins."""
    _authorise(viewer)
    if url is None:
        return None
    try:
        await resolve(url, allow_private)
    except TargetRefused as refused:
        raise DomainError("INVALID_URL", str(refused), ("url",)) from None
    return CheckedUrl(url)


def _event_types(names: Sequence[str]) -> int:
    if not names:
        raise DomainError("INVALID_INPUT", "name at least one event type", ("eventTypes",))
    return outbox.event_bits(list(names))


async def create_endpoint(
    session: AsyncSession, viewer: Viewer, url: CheckedUrl, event_types: Sequence[str]
) -> Created:
    partner_id = _authorise(viewer)
    bits = _event_types(event_types)
    secret = new_secret()
    endpoint = WebhookEndpoint(
        partner_id=partner_id,
        url=url.url,
        event_types=bits,
        enabled=True,
        secret=secret,
        created_at=utcnow(),
    )
    session.add(endpoint)
    await session.flush()
    return Created(endpoint, secret)


async def _locked(session: AsyncSession, viewer: Viewer, endpoint_id: int) -> WebhookEndpoint:
    """The viewer's endpoint, locked for the change; another partner's is as if missing."""
    _authorise(viewer)
    stmt = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, visible_webhook_endpoints(viewer))
        .with_for_update()
    )
    found = (await session.scalars(stmt)).one_or_none()
    if found is None:
        raise MISSING
    return found


async def update_endpoint(
    session: AsyncSession,
    viewer: Viewer,
    endpoint_id: int,
    url: CheckedUrl | None,
    event_types: Sequence[str] | None,
    enabled: bool | None,
) -> Created:
    endpoint = await _locked(session, viewer, endpoint_id)
    if url is not None:
        endpoint.url = url.url
    if event_types is not None:
        endpoint.event_types = _event_types(event_types)
    if enabled is not None:
        endpoint.enabled = enabled
        if enabled:
            endpoint.failing_since = None  # a fresh start: failures before count no more
    await session.flush()
    return Created(endpoint)


async def rotate_secret(session: AsyncSession, viewer: Viewer, endpoint_id: int) -> Created:
    endpoint = await _locked(session, viewer, endpoint_id)
    secret = new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = utcnow() + ROTATION_OVERLAP
    endpoint.secret = secret
    await session.flush()
    return Created(endpoint, secret)


async def delete_endpoint(session: AsyncSession, viewer: Viewer, endpoint_id: int) -> int:
    """Its deliveries go with it (ON DELETE CASCADE)."""
    endpoint = await _locked(session, viewer, endpoint_id)
    await session.delete(endpoint)
    await session.flush()
    return endpoint_id


async def list_endpoints(
    session: AsyncSession, viewer: Viewer, args: PageArgs
) -> Page[WebhookEndpoint]:
    win = window(args)
    stmt = keyset(select(WebhookEndpoint).where(visible_webhook_endpoints(viewer)), _SORT, win)
    rows = (await session.scalars(stmt)).all()
    return to_page([((row.id,), row) for row in rows], win)


async def count_endpoints(session: AsyncSession, viewer: Viewer) -> int:
    stmt = select(func.count()).select_from(WebhookEndpoint)
    return (await session.execute(stmt.where(visible_webhook_endpoints(viewer)))).scalar_one()


async def endpoints_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, WebhookEndpoint]:
    stmt = select(WebhookEndpoint).where(
        WebhookEndpoint.id.in_(ids), visible_webhook_endpoints(viewer)
    )
    return {row.id: row for row in (await session.scalars(stmt)).all()}


async def deliveries_by_ids(
    session: AsyncSession, viewer: Viewer, ids: Sequence[int]
) -> dict[int, WebhookDelivery]:
    stmt = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id.in_(ids), visible_webhook_endpoints(viewer))
    )
    return {row.id: row for row in (await session.scalars(stmt)).all()}


async def delivery_pages(
    session: AsyncSession, viewer: Viewer, endpoint_ids: Sequence[int], args: PageArgs
) -> dict[int, Page[WebhookDelivery]]:
    """Newest first, for many endpoints in one statement."""
    win = window(args)
    rank = func.row_number().over(
        partition_by=WebhookDelivery.endpoint_id, order_by=WebhookDelivery.id.desc()
    )
    ranked = (
        select(WebhookDelivery.id, rank.label("rank"))
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.endpoint_id.in_(endpoint_ids),
            visible_webhook_endpoints(viewer),
            *bounds(_DELIVERY_SORT, win, descending=True),
        )
        .subquery()
    )
    stmt = (
        select(WebhookDelivery)
        .join(ranked, ranked.c.id == WebhookDelivery.id)
        .where(ranked.c.rank <= win.size + 1)
        .order_by(WebhookDelivery.id.desc())
    )
    rows: dict[int, list[tuple[tuple[int], WebhookDelivery]]] = {pk: [] for pk in endpoint_ids}
    for found in (await session.scalars(stmt)).all():
        rows[found.endpoint_id].append(((found.id,), found))
    return {pk: to_page(items, win) for pk, items in rows.items()}


async def delivery_counts(
    session: AsyncSession, viewer: Viewer, endpoint_ids: Sequence[int]
) -> dict[int, int]:
    stmt = (
        select(WebhookDelivery.endpoint_id, func.count())
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.endpoint_id.in_(endpoint_ids), visible_webhook_endpoints(viewer))
        .group_by(WebhookDelivery.endpoint_id)
    )
    return await counts(session, stmt, endpoint_ids)


# --- the outbox ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """EVENTS.md's retry schedule (the wait before each retry, +-10 % jitter) and how long an
    endpoint may fail before it is disabled; tests shrink both."""

    delays: tuple[float, ...]
    disable_after: timedelta


class Outbox:
    """services' side of infra.webhook_delivery.WebhookWorker."""

    def __init__(self, schedule: Schedule) -> None:
        self.schedule = schedule

    async def claim(
        self, session: AsyncSession, now: datetime, limit: int, lease: timedelta
    ) -> list[Due]:
        """Due deliveries of enabled endpoints, leased to the caller. PostgreSQL: rows other
        workers are claiming are skipped, not waited for; SQLite's one writer needs neither."""
        due = (
            select(WebhookDelivery.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(
                WebhookDelivery.status == "PENDING",
                WebhookDelivery.next_attempt_at <= now,
                or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
                WebhookEndpoint.enabled,
            )
            .order_by(WebhookDelivery.next_attempt_at)
            .limit(limit)
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        )
        ids = list((await session.scalars(due)).all())
        if not ids:
            return []
        rows = (
            await session.execute(
                select(WebhookDelivery, WebhookEndpoint)
                .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                .where(WebhookDelivery.id.in_(ids))
            )
        ).all()
        bodies = await _bodies(session, [d for d, _ in rows if d.body is None])
        claimed = []
        for delivery, endpoint in rows:
            body = bodies[delivery.id] if delivery.body is None else delivery.body
            delivery.locked_until, delivery.body = now + lease, body
            secrets_now = _signing_secrets(endpoint, now)
            claimed.append(Due(delivery.id, endpoint.id, endpoint.url, secrets_now, body.encode()))
        await session.flush()
        return claimed

    async def finish(
        self, session: AsyncSession, attempts: list[tuple[Due, Attempt]], now: datetime
    ) -> None:
        """Record a batch of attempts: successes in two statements (the common case), each
        failure by the schedule. Rows no longer PENDING (recorded by another worker after
        our lease ran out, or deleted) are left alone."""
        succeeded = [(due, attempt) for due, attempt in attempts if attempt.succeeded]
        if succeeded:
            connection = await session.connection()
            await connection.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.id == bindparam("done_id"),
                    WebhookDelivery.status == "PENDING",
                )
                .values(
                    status="SUCCEEDED",
                    attempts=WebhookDelivery.attempts + 1,
                    last_response_status=bindparam("done_status"),
                    last_error=None,
                    next_attempt_at=None,
                    locked_until=None,
                ),
                [{"done_id": d.delivery_id, "done_status": a.status} for d, a in succeeded],
            )
            await connection.execute(
                update(WebhookEndpoint)
                .where(
                    WebhookEndpoint.id.in_({d.endpoint_id for d, _ in succeeded}),
                    WebhookEndpoint.failing_since.is_not(None),
                )
                .values(failing_since=None)
            )
        for due, attempt in attempts:
            if not attempt.succeeded:
                await self._failed(session, due, attempt, now)
        await session.flush()

    async def _failed(
        self, session: AsyncSession, due: Due, attempt: Attempt, now: datetime
    ) -> None:
        row = (
            await session.execute(
                select(WebhookDelivery, WebhookEndpoint)
                .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
                .where(WebhookDelivery.id == due.delivery_id)
                .with_for_update()
            )
        ).one_or_none()
        if row is None or row[0].status != "PENDING":
            return
        delivery, endpoint = row
        delivery.attempts += 1
        delivery.last_response_status = attempt.status
        delivery.last_error = attempt.error
        delivery.locked_until = None
        endpoint.failing_since = endpoint.failing_since or now
        gone = attempt.status == 410 or now - endpoint.failing_since >= self.schedule.disable_after
        if gone:
            await _disable(session, endpoint)
            delivery.status, delivery.next_attempt_at = "FAILED", None
        elif delivery.attempts > len(self.schedule.delays):
            delivery.status, delivery.next_attempt_at = "FAILED", None
        else:
            wait = self.schedule.delays[delivery.attempts - 1] * random.uniform(0.9, 1.1)
            wait = max(wait, attempt.retry_after_s or 0.0)
            delivery.next_attempt_at = now + timedelta(seconds=wait)


async def _disable(session: AsyncSession, endpoint: WebhookEndpoint) -> None:
    """Failing for too long (or told 410 Gone): off, and what it still owed given up. The log
    line is how operators learn of it (EVENTS.md: tell the owner another way)."""
    log.warning(
        "webhook endpoint disabled",
        extra={
            "event": "webhook_disabled",
            "endpoint_id": endpoint.id,
            "partner_id": endpoint.partner_id,
        },
    )
    endpoint.enabled = False
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint.id, WebhookDelivery.status == "PENDING")
        .values(status="FAILED", next_attempt_at=None, locked_until=None)
        .execution_options(synchronize_session=False)
    )


def _signing_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret is not None and expires is not None and now < expires:
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


async def _bodies(session: AsyncSession, deliveries: Sequence[WebhookDelivery]) -> dict[int, str]:
    """Each delivery's body: {"type", "timestamp", "data"}, data holding the activity and the
    subscription or customer as the API returns them (as they are when first sent)."""
    if not deliveries:
        return {}
    activity_ids = {d.activity_id for d in deliveries}
    records = {
        a.id: a
        for a in (await session.scalars(select(Activity).where(Activity.id.in_(activity_ids))))
    }
    subscription_ids = {a.subscription_id for a in records.values() if a.subscription_id}
    customer_ids = {a.customer_id for a in records.values() if a.subscription_id is None}
    subscriptions = {
        s.id: s
        for s in await session.scalars(
            select(Subscription).where(Subscription.id.in_(subscription_ids))
        )
    }
    customers = {
        c.id: c
        for c in await session.scalars(select(Customer).where(Customer.id.in_(customer_ids)))
    }
    bodies = {}
    for delivery in deliveries:
        record = records[delivery.activity_id]
        data: dict[str, Any] = {"activity": _activity_json(record)}
        if record.subscription_id is not None:
            data["subscription"] = _subscription_json(subscriptions[record.subscription_id])
        else:
            data["customer"] = _customer_json(customers[record.customer_id])
        body = {"type": delivery.event_type, "timestamp": _time(record.created_at), "data": data}
        bodies[delivery.id] = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return bodies


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _activity_json(record: Activity) -> dict[str, Any]:
    return {
        "id": global_ids.encode("Activity", record.id),
        "activityId": record.id,
        "operation": record.operation,
        "occurredAt": _time(record.created_at),
        "version": record.version,
        "before": record.before,
        "after": record.after,
        "actor": record.actor_name,
        "actorKind": record.actor_kind,
    }


def _subscription_json(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": global_ids.encode("CustomerSubscription", subscription.id),
        "customer": {"id": global_ids.encode("Customer", subscription.customer_id)},
        "offer": {"id": global_ids.encode("Offer", subscription.offer_id)},
        "version": subscription.version,
        **activity.facts(subscription),
    }


def _customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "id": global_ids.encode("Customer", customer.id),
        "companyName": customer.company_name,
        "domain": customer.domain,
        "country": customer.country,
        "createdAt": _time(customer.created_at),
    }
