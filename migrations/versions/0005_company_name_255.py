"""customers.company_name up to 255 characters, as Partner Center takes them (DOMAIN.md §7), and
company_name_key up to 765: case folding turns one character into at most three ("ﬃ" → "ffi")

SQLite does not enforce a VARCHAR's length, so only PostgreSQL's columns change.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _widths(name: int, key: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.alter_column("customers", "company_name", type_=sa.String(name))
    op.alter_column("customers", "company_name_key", type_=sa.String(key))


def upgrade() -> None:
    _widths(255, 765)


def downgrade() -> None:
    """Fails while a longer name is stored: shortening it is for a person to decide."""
    _widths(200, 400)
