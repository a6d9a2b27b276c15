"""Webhook delivery: a worker in every serve process claims due deliveries from the outbox,
POSTs them signed per Standard Webhooks, and records each attempt after its response.

A claim is a lease (`locked_until`), committed before the POST: a process killed mid-delivery
leaves its rows to be claimed again once the lease runs out (at least once, never lost). What
is due, what the body says and what an attempt's outcome means are the outbox's business
(services/webhooks.py); this module moves bytes."""

import asyncio
import base64
import email.utils
import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from infra.database import Database
from infra.transactions import run_in_transaction
from infra.webhook_targets import TargetRefused, resolve
from models.base import utcnow
from settings import Settings

log = logging.getLogger("csp.webhooks")

SECRET_PREFIX = "whsec_"
# A receiver's answer is read this far (its status is what counts), then dropped.
MAX_RESPONSE_BYTES = 4096
MAX_RETRY_AFTER_S = 24 * 3600


@dataclass(frozen=True)
class Due:
    """A claimed delivery: where, signed with which secrets, and the exact bytes."""

    delivery_id: int
    endpoint_id: int
    url: str
    secrets: tuple[str, ...]
    body: bytes

    @property
    def message_id(self) -> str:
        """webhook-id: one per (endpoint, event), the same on every retry (receivers dedupe)."""
        return f"msg_{self.delivery_id}"


@dataclass(frozen=True)
class Attempt:
    """What one POST got: the status (None when there was no response) and why not."""

    status: int | None
    error: str | None = None
    retry_after_s: float | None = None

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class Outbox(Protocol):
    async def claim(
        self, session: AsyncSession, now: datetime, limit: int, lease: timedelta
    ) -> list[Due]: ...

    async def finish(
        self, session: AsyncSession, attempts: list[tuple[Due, Attempt]], now: datetime
    ) -> None: ...


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,` and the base64 HMAC-SHA256 of "id.timestamp.body" under the whsec_ secret."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(due: Due, now: datetime) -> dict[str, str]:
    timestamp = int(now.timestamp())  # this attempt's, not the event's
    return {
        "content-type": "application/json",
        "webhook-id": due.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, due.message_id, timestamp, due.body) for secret in due.secrets
        ),
    }


class Sender:
    """POSTs with bounded timeouts, no redirects, no proxies from the environment, to the
    address the SSRF guard checked."""

    def __init__(self, settings: Settings) -> None:
        self.allow_private = settings.webhook_allow_private_targets
        timeout = httpx.Timeout(
            settings.webhook_timeout_s, connect=min(5.0, settings.webhook_timeout_s)
        )
        self.client = httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)

    async def send(self, due: Due, now: datetime) -> Attempt:
        try:
            target = await resolve(due.url, self.allow_private)
        except TargetRefused as refused:
            return Attempt(None, f"refused: {refused}")
        request = self.client.build_request(
            "POST",
            target.connect_url,
            content=due.body,
            headers={**signed_headers(due, now), "host": target.host_header},
            # TLS names and verifies the host, while the socket goes to the checked address.
            extensions={"sni_hostname": target.host} if target.scheme == "https" else {},
        )
        try:
            response = await self.client.send(request, stream=True)
            try:
                read = 0
                async for chunk in response.aiter_raw():
                    read += len(chunk)
                    if read >= MAX_RESPONSE_BYTES:
                        break
            finally:
                await response.aclose()
        except httpx.HTTPError as error:
            return Attempt(None, f"{type(error).__name__}: {error}"[:200])
        return Attempt(response.status_code, None, _retry_after(response.headers, now))

    async def close(self) -> None:
        await self.client.aclose()


def _retry_after(headers: httpx.Headers, now: datetime) -> float | None:
    raw = headers.get("retry-after")
    if raw is None:
        return None
    if raw.strip().isdigit():
        return min(float(raw), MAX_RETRY_AFTER_S)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER_S)


class WebhookWorker:
    """Polls the outbox, keeps up to `webhook_max_in_flight` POSTs going. Each claimed batch
    is sent concurrently and recorded in one transaction once every response is in."""

    def __init__(self, database: Database, settings: Settings, outbox: Outbox) -> None:
        self.database = database
        self.outbox = outbox
        self.sender = Sender(settings)
        self.poll_s = settings.webhook_poll_ms / 1000
        self.lease = timedelta(seconds=settings.webhook_lease_s)
        self.max_in_flight = settings.webhook_max_in_flight
        self.sending = 0  # deliveries claimed and not yet answered
        self.batches: set[asyncio.Task[None]] = set()
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run(), name="webhook-worker")

    async def stop(self) -> None:
        """Unfinished deliveries stay claimed until their lease ends, then go out again."""
        tasks = [t for t in (self.task, *self.batches) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.sender.close()

    async def _run(self) -> None:
        while True:
            full = False
            try:
                full = await self._claim()
            except Exception:
                log.exception("claiming webhook deliveries failed")
            # A full claim means more may be due: look again at once.
            if not full or self.sending >= self.max_in_flight:
                await asyncio.sleep(self.poll_s)

    async def _claim(self) -> bool:
        """Whether the claim took as many as it could."""
        free = self.max_in_flight - self.sending
        if free <= 0:
            return False

        async def claim(session: AsyncSession) -> list[Due]:
            return await self.outbox.claim(session, utcnow(), free, self.lease)

        db = self.database
        dues = await run_in_transaction(db.write_sessions, claim, db.write_queue)
        if dues:
            self.sending += len(dues)
            task = asyncio.create_task(self._deliver(dues))
            self.batches.add(task)
            task.add_done_callback(self.batches.discard)
        return len(dues) == free

    async def _deliver(self, dues: list[Due]) -> None:
        async def send(due: Due) -> Attempt:
            try:
                return await self.sender.send(due, utcnow())
            finally:
                # Room for more at once: a slow endpoint holds up this batch's record, not
                # other deliveries (the rows sent stay leased until recorded).
                self.sending -= 1

        try:
            attempts = await asyncio.gather(*(send(due) for due in dues))

            async def finish(session: AsyncSession) -> None:
                await self.outbox.finish(session, list(zip(dues, attempts, strict=True)), utcnow())

            db = self.database
            await run_in_transaction(db.write_sessions, finish, db.write_queue)
        except Exception:
            # Unrecorded: the leases run out and the deliveries go out again (at least once).
            log.exception("recording webhook attempts failed")
