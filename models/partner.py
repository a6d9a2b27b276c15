from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Partner(Base):
    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # What Microsoft bills the partner in: its price list, and its subscriptions' prices.
    currency: Mapped[str] = mapped_column(String(3))
    # The partner's own e-mail domain: a customer's admin may not have an address there.
    domain: Mapped[str | None] = mapped_column(String(253))
