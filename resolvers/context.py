from dataclasses import dataclass, field
from datetime import datetime

from infra.activity_feed import ActivityFeed
from infra.database import Database
from models.base import utcnow
from resolvers.loaders import Loaders
from services.viewer import Viewer


@dataclass
class Context:
    """Everything one GraphQL request needs; built per request by the HTTP edge."""

    # Sessions, SQLite's write queue, and the wake-ups a committed mutation sends.
    database: Database
    viewer: Viewer
    request_id: str
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
        self.loaders = Loaders(self.database.read_sessions, self.viewer, self.now)

    def refresh(self) -> None:
        """A new moment and empty loaders: a subscription's context serves one socket for
        hours, and each event is answered as a request of its own would be."""
        self.now = utcnow()
        self.loaders = Loaders(self.database.read_sessions, self.viewer, self.now)
