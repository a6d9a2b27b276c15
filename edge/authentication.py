"""Who a request acts for: every decision about its API key, in one place.

A key this process saw recently is remembered by its hash (KnownKeys), and the request goes on
with the viewer it stood for, unproven: a compiled plan checks the key inside its own statement
(services.api_keys.still_usable), saving authentication a round trip, and anything else proves
the key first. Either way revocation and expiry take effect on the very next request.
"""

import hashlib
import time

from edge.responses import Refused
from infra.database import Database
from services import api_keys
from services.viewer import Viewer


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class KnownKeys:
    """Viewers of tokens that authenticated recently, by the token's hash, in this process.
    Entries are few (one per key in use) and bounded; the oldest goes first."""

    def __init__(self, capacity: int = 10_000, ttl_s: float = 300.0) -> None:
        self.capacity = capacity
        self.ttl_s = ttl_s
        self.entries: dict[bytes, tuple[Viewer, float]] = {}

    def get(self, digest: bytes) -> Viewer | None:
        entry = self.entries.get(digest)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def remember(self, digest: bytes, viewer: Viewer) -> None:
        self.entries.pop(digest, None)
        if len(self.entries) >= self.capacity:
            self.entries.pop(next(iter(self.entries)))
        self.entries[digest] = (viewer, time.monotonic() + self.ttl_s)

    def forget(self, digest: bytes) -> None:
        self.entries.pop(digest, None)


class Authenticator:
    def __init__(self, database: Database) -> None:
        self.database = database
        self.known = KnownKeys()

    def claimed(self, token: str) -> Viewer | None:
        """The viewer a remembered token stood for: a claim, to be proven before it acts."""
        return self.known.get(_hash(token))

    async def proven(self, token: str) -> Viewer:
        """The viewer the token stands for now; Refused (401) if there is none."""
        viewer = None
        if token:
            async with self.database.single_statements.connect() as connection:
                viewer = await api_keys.authenticate(connection, token)
        digest = _hash(token)
        if viewer is None:
            self.known.forget(digest)
            raise Refused(
                401,
                "UNAUTHENTICATED",
                "a valid API key is required: Authorization: Bearer <key>",
                {"WWW-Authenticate": "Bearer"},
            )
        self.known.remember(digest, viewer)
        return viewer
