import asyncio
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.activity_feed import ActivityFeed
from infra.wakeups import Wakeups
from models.base import utcnow
from resolvers.loaders import Loaders
from services.viewer import Viewer


@dataclass
class Context:
    """Everything one GraphQL request needs; built per request by the HTTP edge."""

    read_sessions: async_sessionmaker[AsyncSession]
    write_sessions: async_sessionmaker[AsyncSession]
    viewer: Viewer
    request_id: str
    # Told after each committed mutation: subscribers learn of it at once (infra/wakeups.py).
    wakeups: Wakeups
    write_queue: asyncio.Lock | None = None
    # The process's feed of new activity, for subscriptions (edge/websocket.py).
    activity_feed: ActivityFeed[Viewer] | None = None
    # WEBHOOK_ALLOW_PRIVATE_TARGETS: endpoints may be loopback, private, or plain http.
    allow_private_webhook_targets: bool = False
    # The request's one moment: every field that depends on time (windows, actions) reads it.
    now: datetime = field(default_factory=utcnow)
    loaders: Loaders = field(init=False)
    # Transactions the request committed: a request that committed none may be retried whole.
    commits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.read_sessions, self.viewer, self.now)

    def refresh(self) -> None:
        """A new moment and empty loaders: a subscription's context serves one socket for
        hours, and each event is answered as a request of its own would be."""
        self.now = utcnow()
        self.loaders = Loaders(self.read_sessions, self.viewer, self.now)
