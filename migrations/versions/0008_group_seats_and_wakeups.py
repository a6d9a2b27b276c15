"""customers.group_seats: each customer's seats across the offers that share a per-customer
limit (DOMAIN.md Q5), kept by triggers on subscriptions; and no NOTIFY inside writers'
transactions any more

The seat limit spans a customer's subscriptions, whoever sold them. Summed over them at each
increase, a change could only be decided safely with the customer locked before the sum was
read, which took a separate round trip; as a column of the customer's row, one statement
locks that row and PostgreSQL re-checks the limit on its newest version after a lock wait.
Triggers keep it on every write, whichever code path or process makes it.

Migration 0006's NOTIFY ran in each writer's transaction; PostgreSQL takes a global lock from
a NOTIFYing transaction's pre-commit until its commit has been flushed, so it serialised every
change's commit (EVENTS.md, "Fan-out"). The process that committed now sends the wake-up after
its commit (infra/wakeups.py).

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A subscription's seats count towards its customer's limit when its offer has one and it is
# neither cancelled nor deleted (DOMAIN.md Q5): the count's one definition.
_COUNTS = (
    "{row}.status NOT IN ('CANCELLED', 'DELETED') AND EXISTS (SELECT 1 FROM offers "
    "WHERE offers.id = {row}.offer_id AND offers.seat_limit_per_customer IS NOT NULL)"
)
_ADD = "UPDATE customers SET group_seats = group_seats {sign} {seats} WHERE id = {row}.customer_id"

_POSTGRES_FUNCTION = f"""
CREATE FUNCTION subscriptions_group_seats() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_seats integer := 0;
    new_seats integer := 0;
BEGIN
    IF TG_OP <> 'INSERT' AND {_COUNTS.format(row="OLD")} THEN
        old_seats := OLD.quantity;
    END IF;
    IF TG_OP <> 'DELETE' AND {_COUNTS.format(row="NEW")} THEN
        new_seats := NEW.quantity;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.customer_id = NEW.customer_id THEN
        IF new_seats <> old_seats THEN
            {_ADD.format(sign="+", seats="(new_seats - old_seats)", row="NEW")};
        END IF;
        RETURN NULL;
    END IF;
    IF old_seats <> 0 THEN
        {_ADD.format(sign="-", seats="old_seats", row="OLD")};
    END IF;
    IF new_seats <> 0 THEN
        {_ADD.format(sign="+", seats="new_seats", row="NEW")};
    END IF;
    RETURN NULL;
END
$$
"""
# The columns whose change may move a subscription's seats into, out of or within the count.
_CHANGED = "UPDATE OF quantity, status, offer_id, customer_id"
# SQLite has no trigger functions: a trigger per event and side (OLD's seats leave the count,
# NEW's enter it), each with its own condition, since an update may move seats either way.
_SQLITE_TRIGGERS = {
    f"subscriptions_group_seats_{name}": (event, row, sign)
    for name, event, row, sign in (
        ("insert", "INSERT", "NEW", "+"),
        ("delete", "DELETE", "OLD", "-"),
        ("update_old", _CHANGED, "OLD", "-"),
        ("update_new", _CHANGED, "NEW", "+"),
    )
}
_BACKFILL = f"""
UPDATE customers SET group_seats = (
    SELECT coalesce(sum(s.quantity), 0) FROM subscriptions s
    WHERE s.customer_id = customers.id AND {_COUNTS.format(row="s")})
"""
_NOTIFY_FUNCTION = """
CREATE FUNCTION activities_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('activity', '');
    RETURN NULL;
END
$$
"""


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("group_seats", sa.Integer(), nullable=False, server_default="0"))
        batch.create_check_constraint(
            op.f("ck_customers_group_seats_not_negative"), "group_seats >= 0"
        )
    op.execute(_BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER activities_notify ON activities")
        op.execute("DROP FUNCTION activities_notify()")
        op.execute(_POSTGRES_FUNCTION)
        op.execute(
            f"CREATE TRIGGER subscriptions_group_seats AFTER INSERT OR DELETE OR {_CHANGED} "
            "ON subscriptions FOR EACH ROW EXECUTE FUNCTION subscriptions_group_seats()"
        )
        return
    for name, (event, row, sign) in _SQLITE_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON subscriptions FOR EACH ROW "
            f"WHEN {_COUNTS.format(row=row)} "
            f"BEGIN {_ADD.format(sign=sign, seats=f'{row}.quantity', row=row)}; END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER subscriptions_group_seats ON subscriptions")
        op.execute("DROP FUNCTION subscriptions_group_seats()")
        op.execute(_NOTIFY_FUNCTION)
        op.execute(
            "CREATE TRIGGER activities_notify AFTER INSERT ON activities "
            "FOR EACH STATEMENT EXECUTE FUNCTION activities_notify()"
        )
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("customers") as batch:
        batch.drop_constraint(op.f("ck_customers_group_seats_not_negative"), type_="check")
        batch.drop_column("group_seats")
