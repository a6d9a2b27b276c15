"""customers.company_name_key: a case-folded name for search and sort on every engine

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # First: SQLite's batch rebuild below cannot reflect (so would lose) an expression index.
    op.drop_index("ix_customers_company_name_lower", table_name="customers")
    op.add_column("customers", sa.Column("company_name_key", sa.String(length=400), nullable=True))
    connection = op.get_bind()
    customers = sa.table(
        "customers", sa.column("id"), sa.column("company_name"), sa.column("company_name_key")
    )
    rows = connection.execute(sa.select(customers.c.id, customers.c.company_name)).all()
    if rows:
        connection.execute(
            customers.update().where(customers.c.id == sa.bindparam("pk")),
            [{"pk": pk, "company_name_key": name.casefold()} for pk, name in rows],
        )
    with op.batch_alter_table("customers") as batch:
        batch.alter_column("company_name_key", nullable=False)
    op.create_index(
        op.f("ix_customers_company_name_key_id"), "customers", ["company_name_key", "id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_customers_company_name_key_id"), table_name="customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("company_name_key")
    op.create_index(
        "ix_customers_company_name_lower", "customers", [sa.text("lower(company_name)"), "id"]
    )
