"""New commerce: terms and prices, seat batches, the lifecycle's statuses, customers' and
principals' new facts, and activity any actor (the system included) can write

Existing data is carried forward: an offer gets a term per billing cycle it had (P1M monthly,
P1Y annual) priced 0.00 in USD, since version 1 had no prices (an operator's price list, or
`seed-demo`, replaces them); a subscription gets the term of its billing cycle, running from
its purchase and renewed up to the term that contains today, priced from its offer's terms,
and one seat batch, both with their 168-hour windows closed (version 1 had none); partners
and customers bill in USD until an operator says otherwise.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from services.terms import TermDuration, current_term

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUSES = "('ACTIVE', 'SUSPENDED', 'CANCELLED', 'EXPIRED', 'DISABLED', 'DELETED')"
WINDOW = timedelta(hours=168)


def upgrade() -> None:
    now = datetime.now(UTC)
    _partners_customers_principals()
    _offers()
    _subscriptions(now)
    _seat_batches(now)
    _activities()
    with op.batch_alter_table("idempotency_records") as batch:
        batch.alter_column("subscription_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("customer_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_idempotency_records_customer_id_customers"),
            "customers",
            ["customer_id"],
            ["id"],
        )


def _partners_customers_principals() -> None:
    with op.batch_alter_table("partners") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=False, server_default="USD"))
        batch.add_column(sa.Column("domain", sa.String(253), nullable=True))
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=False, server_default="USD"))
    with op.batch_alter_table("principals") as batch:
        batch.drop_constraint(op.f("uq_principals_name"), type_="unique")
        batch.add_column(sa.Column("email", sa.String(254), nullable=True))
        batch.create_unique_constraint(op.f("uq_principals_email"), ["email"])
        batch.create_index(op.f("ix_principals_name"), ["name"])


def _offers() -> None:
    with op.batch_alter_table("offers") as batch:
        batch.add_column(sa.Column("seat_limit_per_customer", sa.Integer(), nullable=True))
    terms = op.create_table(
        "offer_terms",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("term_duration", sa.String(3), nullable=False),
        sa.Column("billing_cycle", sa.String(10), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "term_duration IN ('P1M', 'P1Y', 'P3Y')", name=op.f("ck_offer_terms_term_known")
        ),
        sa.CheckConstraint(
            "billing_cycle IN ('MONTHLY', 'ANNUAL')",
            name=op.f("ck_offer_terms_billing_cycle_known"),
        ),
        sa.CheckConstraint(
            "term_duration <> 'P1M' OR billing_cycle = 'MONTHLY'",
            name=op.f("ck_offer_terms_term_fits_cycle"),
        ),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_offer_terms_unit_price_not_negative")),
        sa.CheckConstraint("length(currency) = 3", name=op.f("ck_offer_terms_currency_alpha3")),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_terms_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint(
            "offer_id", "term_duration", "billing_cycle", "currency", name=op.f("pk_offer_terms")
        ),
    )
    offers = sa.table("offers", sa.column("id"), sa.column("billing_cycles"))
    rows = [
        {
            "offer_id": pk,
            "term_duration": "P1M" if cycle == "MONTHLY" else "P1Y",
            "billing_cycle": cycle,
            "currency": "USD",
            "unit_price": 0,  # models.base.Price: ten-thousandths
        }
        for pk, cycles in op.get_bind().execute(sa.select(offers.c.id, offers.c.billing_cycles))
        for cycle in cycles.split(",")
    ]
    if rows:
        op.bulk_insert(terms, rows)


def _subscriptions(now: datetime) -> None:
    with op.batch_alter_table("subscriptions") as batch:
        for column in (
            sa.Column("term_duration", sa.String(3), nullable=True),
            sa.Column("term_start_date", sa.Date(), nullable=True),
            sa.Column("commitment_end_date", sa.Date(), nullable=True),
            sa.Column("term_started_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column("unit_price", sa.BigInteger(), nullable=True),
            sa.Column("currency", sa.String(3), nullable=True),
            sa.Column("next_term_quantity", sa.Integer(), nullable=True),
            sa.Column("next_term_duration", sa.String(3), nullable=True),
            sa.Column("next_term_billing_cycle", sa.String(10), nullable=True),
            sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=True),
            sa.Column(
                "suspended_with_parent", sa.Boolean(), nullable=False, server_default=sa.false()
            ),
        ):
            batch.add_column(column)
    connection = op.get_bind()
    subscriptions = sa.table(
        "subscriptions",
        *(
            sa.column(name)
            for name in (
                "id",
                "billing_cycle",
                "created_at",
                "suspended_at",
                "updated_at",
                "term_duration",
                "term_start_date",
                "commitment_end_date",
                "term_started_at",
                "unit_price",
                "currency",
                "status_changed_at",
            )
        ),
    )
    found = connection.execute(
        sa.text(
            "SELECT s.id, s.billing_cycle, s.created_at, s.suspended_at, s.updated_at, "
            "coalesce(p.currency, 'USD') AS currency, "
            "(SELECT min(t.unit_price) FROM offer_terms t WHERE t.offer_id = s.offer_id "
            " AND t.billing_cycle = s.billing_cycle) AS price "
            "FROM subscriptions s LEFT JOIN partners p ON p.id = s.partner_id"
        )
    ).all()
    today = now.date()
    updates = []
    for pk, cycle, created, suspended, updated, currency, price in found:
        term = TermDuration.P1M if cycle == "MONTHLY" else TermDuration.P1Y
        start, end = current_term(_as_utc(created).date(), term, today)
        updates.append(
            {
                "pk": pk,
                "term_duration": term.value,
                "term_start_date": start,
                "commitment_end_date": end,
                # Version 1 had no windows: none of its purchases can be undone now.
                "term_started_at": min(_as_utc(created), now - WINDOW),
                "unit_price": price if price is not None else 0,
                "currency": currency,
                "status_changed_at": _as_utc(suspended or updated),
            }
        )
    if updates:
        connection.execute(
            subscriptions.update().where(subscriptions.c.id == sa.bindparam("pk")), updates
        )
    with op.batch_alter_table("subscriptions") as batch:
        for name, kind in (
            ("term_duration", sa.String(3)),
            ("term_start_date", sa.Date()),
            ("commitment_end_date", sa.Date()),
            ("term_started_at", sa.DateTime(timezone=True)),
            ("unit_price", sa.BigInteger()),
            ("currency", sa.String(3)),
            ("status_changed_at", sa.DateTime(timezone=True)),
        ):
            batch.alter_column(name, existing_type=kind, nullable=False)
        batch.drop_constraint(op.f("ck_subscriptions_status_known"), type_="check")
        batch.create_check_constraint(
            op.f("ck_subscriptions_status_known"), f"status IN {STATUSES}"
        )
        batch.create_check_constraint(
            op.f("ck_subscriptions_term_known"), "term_duration IN ('P1M', 'P1Y', 'P3Y')"
        )
        batch.create_check_constraint(
            op.f("ck_subscriptions_next_term_whole"),
            "(next_term_quantity IS NULL) = (next_term_duration IS NULL) "
            "AND (next_term_quantity IS NULL) = (next_term_billing_cycle IS NULL)",
        )
        batch.create_check_constraint(
            op.f("ck_subscriptions_unit_price_not_negative"), "unit_price >= 0"
        )
        batch.create_index(
            op.f("ix_subscriptions_parent_subscription_id"), ["parent_subscription_id"]
        )
        batch.create_index(
            op.f("ix_subscriptions_status_commitment_end_date"), ["status", "commitment_end_date"]
        )
        batch.create_index(
            op.f("ix_subscriptions_status_status_changed_at"), ["status", "status_changed_at"]
        )


def _seat_batches(now: datetime) -> None:
    batches = op.create_table(
        "seat_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refundable_until", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_seat_batches_quantity_not_negative")),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_seat_batches_subscription_id_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seat_batches")),
    )
    op.create_index(
        op.f("ix_seat_batches_subscription_id_refundable_until"),
        "seat_batches",
        ["subscription_id", "refundable_until"],
    )
    found = op.get_bind().execute(sa.text("SELECT id, quantity, created_at FROM subscriptions"))
    rows = [
        {
            "subscription_id": pk,
            "quantity": quantity,
            "added_at": _as_utc(created),
            # Every seat bought before new commerce is past its window.
            "refundable_until": min(_as_utc(created) + WINDOW, now),
        }
        for pk, quantity, created in found
    ]
    if rows:
        op.bulk_insert(batches, rows)


def _activities() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_constraint(op.f("fk_activities_principal_id_principals"), type_="foreignkey")
        batch.alter_column("subscription_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("version", existing_type=sa.Integer(), nullable=True)
        batch.alter_column("principal_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("partner_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("actor_kind", sa.String(20), nullable=True))
        batch.add_column(sa.Column("actor_name", sa.String(200), nullable=True))
    op.get_bind().execute(
        sa.text(
            "UPDATE activities SET partner_id = (SELECT partner_id FROM principals p "
            "WHERE p.id = activities.principal_id), actor_name = (SELECT name FROM principals p "
            "WHERE p.id = activities.principal_id), actor_kind = CASE WHEN (SELECT customer_id "
            "FROM principals p WHERE p.id = activities.principal_id) IS NULL THEN "
            "'PARTNER_USER' ELSE 'CUSTOMER_USER' END"
        )
    )
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("actor_kind", existing_type=sa.String(20), nullable=False)
        batch.alter_column("actor_name", existing_type=sa.String(200), nullable=False)
        batch.create_check_constraint(
            op.f("ck_activities_version_iff_subscription"),
            "(subscription_id IS NULL) = (version IS NULL)",
        )
        batch.create_check_constraint(
            op.f("ck_activities_actor_kind_known"),
            "actor_kind IN ('PARTNER_USER', 'CUSTOMER_USER', 'SYSTEM')",
        )
        batch.create_check_constraint(
            op.f("ck_activities_system_has_no_principal"),
            "(actor_kind = 'SYSTEM') = (principal_id IS NULL)",
        )


def _as_utc(value: datetime | str) -> datetime:
    """SQLite returns timestamps as text, PostgreSQL as aware datetimes."""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def downgrade() -> None:
    """Back to version 1's schema, losing what it cannot hold: prices, terms, seat batches and
    principals' e-mail addresses; the statuses it lacks become DELETED; records of changes it
    could not make (a customer's creation, the system's) and idempotency keys that created
    customers are removed. Two principals with the same name stop the downgrade."""
    connection = op.get_bind()
    connection.execute(sa.text("DELETE FROM idempotency_records WHERE subscription_id IS NULL"))
    connection.execute(
        sa.text("DELETE FROM activities WHERE subscription_id IS NULL OR principal_id IS NULL")
    )
    connection.execute(
        sa.text(
            "UPDATE subscriptions SET status = 'DELETED' "
            "WHERE status IN ('CANCELLED', 'EXPIRED', 'DISABLED')"
        )
    )
    with op.batch_alter_table("idempotency_records") as batch:
        batch.drop_constraint(
            op.f("fk_idempotency_records_customer_id_customers"), type_="foreignkey"
        )
        batch.drop_column("result")
        batch.drop_column("customer_id")
        batch.alter_column("subscription_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("activities") as batch:
        for name in ("version_iff_subscription", "actor_kind_known", "system_has_no_principal"):
            batch.drop_constraint(op.f(f"ck_activities_{name}"), type_="check")
        for column in ("actor_name", "actor_kind", "partner_id"):
            batch.drop_column(column)
        for column in ("subscription_id", "version", "principal_id"):
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            op.f("fk_activities_principal_id_principals"), "principals", ["principal_id"], ["id"]
        )
    op.drop_index(op.f("ix_seat_batches_subscription_id_refundable_until"), "seat_batches")
    op.drop_table("seat_batches")
    with op.batch_alter_table("subscriptions") as batch:
        for name in ("parent_subscription_id", "status_commitment_end_date"):
            batch.drop_index(op.f(f"ix_subscriptions_{name}"))
        batch.drop_index(op.f("ix_subscriptions_status_status_changed_at"))
        for name in ("status_known", "term_known", "next_term_whole", "unit_price_not_negative"):
            batch.drop_constraint(op.f(f"ck_subscriptions_{name}"), type_="check")
        batch.create_check_constraint(
            op.f("ck_subscriptions_status_known"), "status IN ('ACTIVE', 'SUSPENDED', 'DELETED')"
        )
        for column in (
            "term_duration",
            "term_start_date",
            "commitment_end_date",
            "term_started_at",
            "unit_price",
            "currency",
            "next_term_quantity",
            "next_term_duration",
            "next_term_billing_cycle",
            "status_changed_at",
            "suspended_with_parent",
        ):
            batch.drop_column(column)
    op.drop_table("offer_terms")
    with op.batch_alter_table("offers") as batch:
        batch.drop_column("seat_limit_per_customer")
    with op.batch_alter_table("principals") as batch:
        batch.drop_index(op.f("ix_principals_name"))
        batch.drop_constraint(op.f("uq_principals_email"), type_="unique")
        batch.drop_column("email")
        batch.create_unique_constraint(op.f("uq_principals_name"), ["name"])
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("currency")
    with op.batch_alter_table("partners") as batch:
        batch.drop_column("domain")
        batch.drop_column("currency")
