from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Principal(Base):
    """A user of a partner or of a customer; API keys act on its behalf."""

    __tablename__ = "principals"
    __table_args__ = (
        CheckConstraint(
            "(partner_id IS NULL) <> (customer_id IS NULL)", name="exactly_one_organisation"
        ),
        CheckConstraint(
            "(role = 'CUSTOMER_ADMIN') = (customer_id IS NOT NULL)", name="role_fits_organisation"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # How a person is told apart (names repeat); a key is issued by it (create-api-key).
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partners.id"))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"))
