from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class RateLimitBucket(Base):
    """A token bucket per API key, for servers that share the database but no Redis."""

    __tablename__ = "rate_limit_buckets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[float] = mapped_column(Float)  # seconds since the epoch
    allowed: Mapped[bool]  # whether the last request was let through
