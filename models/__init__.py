"""SQLAlchemy models: the database's shape and the invariants it enforces itself."""

from models.activity import Activity
from models.api_key import ApiKey
from models.base import Base
from models.customer import Customer, PartnerCustomer
from models.idempotency import IdempotencyRecord
from models.offer import Offer, OfferMarket, OfferPrerequisite, OfferTerm, PartnerOffer
from models.partner import Partner
from models.principal import Principal
from models.rate_limit import RateLimitBucket
from models.subscription import SeatBatch, Subscription
from models.webhook import WebhookDelivery, WebhookEndpoint

__all__ = [
    "Activity",
    "ApiKey",
    "Base",
    "Customer",
    "IdempotencyRecord",
    "Offer",
    "OfferMarket",
    "OfferPrerequisite",
    "OfferTerm",
    "Partner",
    "PartnerCustomer",
    "PartnerOffer",
    "Principal",
    "RateLimitBucket",
    "SeatBatch",
    "Subscription",
    "WebhookDelivery",
    "WebhookEndpoint",
]
