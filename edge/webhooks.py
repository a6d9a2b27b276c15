"""The outbound edge: each serve process's webhook delivery worker, wired to the outbox."""

from datetime import timedelta

from infra.database import Database
from infra.webhook_delivery import WebhookWorker
from services.webhooks import Outbox, Schedule
from settings import Settings


def worker(database: Database, settings: Settings) -> WebhookWorker:
    schedule = Schedule(
        settings.webhook_retry_delays_s, timedelta(seconds=settings.webhook_disable_after_s)
    )
    return WebhookWorker(database, settings, Outbox(schedule))
