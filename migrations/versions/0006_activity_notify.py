"""activities: on PostgreSQL, a NOTIFY on channel `activity` in every transaction that records
activity, so that each server process's feed wakes at the commit (EVENTS.md, "Fan-out")

A wake-up only: the payload is empty (the table is the truth, and PostgreSQL folds identical
notifications of one transaction into one), it is sent inside the writer's transaction (so
only at its commit, never on rollback), and no writer's code changes. SQLite needs nothing:
its one process wakes its feed itself.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION activities_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('activity', '');
            RETURN NULL;
        END
        $$
        """
    )
    op.execute(
        "CREATE TRIGGER activities_notify AFTER INSERT ON activities "
        "FOR EACH STATEMENT EXECUTE FUNCTION activities_notify()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER activities_notify ON activities")
    op.execute("DROP FUNCTION activities_notify()")
