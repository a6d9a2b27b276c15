from datetime import datetime

import strawberry
from strawberry.types import Info

import models
from models import global_ids
from resolvers import relations
from resolvers.context import Context
from schema.connection import After, Connection, First, connection
from schema.enums import DeliveryStatus, WebhookEventType
from schema.node import Node
from services import outbox
from services.pagination import PageArgs


@strawberry.type(description="One event's delivery to one endpoint, retried until it succeeds.")
class WebhookDelivery(Node):
    event_id: str = strawberry.field(
        description="The event: the activity record's id (the same for every endpoint)."
    )
    event_type: WebhookEventType = strawberry.field(description="What the event reports.")
    status: DeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempts: int = strawberry.field(description="POSTs made so far.")
    last_response_status: int | None = strawberry.field(
        description="The HTTP status of the last attempt; null before one, or without a response."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is tried next; null once it succeeded or failed for good."
    )
    created_at: datetime = strawberry.field(description="When the event was committed.")

    @classmethod
    def from_model(cls, row: models.WebhookDelivery) -> "WebhookDelivery":
        return cls(
            id=strawberry.ID(global_ids.encode("WebhookDelivery", row.id)),
            event_id=row.event_id,
            event_type=WebhookEventType(row.event_type),
            status=DeliveryStatus(row.status),
            attempts=row.attempts,
            last_response_status=row.last_response_status,
            next_attempt_at=row.next_attempt_at,
            created_at=row.created_at,
        )


@strawberry.type(
    description="A partner's HTTPS endpoint: it receives the events it subscribes to, signed "
    "per Standard Webhooks with its secret."
)
class WebhookEndpoint(Node):
    pk: strawberry.Private[int]
    url: str = strawberry.field(description="Where events are POSTed.")
    event_types: list[WebhookEventType] = strawberry.field(description="The events it receives.")
    enabled: bool = strawberry.field(
        description="False: it receives nothing (switched off, told 410 Gone, or failing for "
        "days); set it back with updateWebhookEndpoint."
    )
    created_at: datetime = strawberry.field(description="When it was created.")

    @classmethod
    def from_model(cls, row: models.WebhookEndpoint) -> "WebhookEndpoint":
        return cls(
            id=strawberry.ID(global_ids.encode("WebhookEndpoint", row.id)),
            pk=row.id,
            url=row.url,
            event_types=[WebhookEventType(n) for n in outbox.event_names(row.event_types)],
            enabled=row.enabled,
            created_at=row.created_at,
        )

    @strawberry.field(description="Its deliveries, newest first.")
    async def deliveries(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
    ) -> Connection[WebhookDelivery]:
        page, count = await relations.deliveries_of(info.context, self.pk, PageArgs(first, after))
        return connection(page, WebhookDelivery.from_model, count)
