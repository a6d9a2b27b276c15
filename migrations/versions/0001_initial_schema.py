"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 19:47:29.175498
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sku", sa.String(length=100), nullable=False),
        sa.Column("min_quantity", sa.Integer(), nullable=False),
        sa.Column("max_quantity", sa.Integer(), nullable=False),
        sa.Column("is_add_on", sa.Boolean(), nullable=False),
        sa.Column("billing_cycles", sa.String(length=50), nullable=False),
        sa.CheckConstraint("max_quantity >= min_quantity", name=op.f("ck_offers_quantity_range")),
        sa.CheckConstraint("min_quantity >= 1", name=op.f("ck_offers_min_quantity_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
        sa.UniqueConstraint("sku", name=op.f("uq_offers_sku")),
    )
    op.create_table(
        "partners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partners")),
        sa.UniqueConstraint("name", name=op.f("uq_partners_name")),
    )
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_name", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("created_by_partner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(country) = 2", name=op.f("ck_customers_country_alpha2")),
        sa.ForeignKeyConstraint(
            ["created_by_partner_id"],
            ["partners.id"],
            name=op.f("fk_customers_created_by_partner_id_partners"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customers")),
        sa.UniqueConstraint("domain", name=op.f("uq_customers_domain")),
    )
    op.create_table(
        "offer_markets",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_markets_offer_id_offers")
        ),
        sa.PrimaryKeyConstraint("offer_id", "country", name=op.f("pk_offer_markets")),
    )
    op.create_table(
        "offer_prerequisites",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("prerequisite_offer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_prerequisites_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["prerequisite_offer_id"],
            ["offers.id"],
            name=op.f("fk_offer_prerequisites_prerequisite_offer_id_offers"),
        ),
        sa.PrimaryKeyConstraint(
            "offer_id", "prerequisite_offer_id", name=op.f("pk_offer_prerequisites")
        ),
    )
    op.create_table(
        "partner_offers",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_partner_offers_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_offers_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("partner_id", "offer_id", name=op.f("pk_partner_offers")),
    )
    op.create_table(
        "partner_customers",
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.id"],
            name=op.f("fk_partner_customers_customer_id_customers"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_partner_customers_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("partner_id", "customer_id", name=op.f("pk_partner_customers")),
    )
    op.create_index(
        op.f("ix_partner_customers_customer_id"), "partner_customers", ["customer_id"], unique=False
    )
    op.create_index(
        "ix_customers_company_name_lower", "customers", [sa.text("lower(company_name)"), "id"]
    )

    op.create_table(
        "principals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(role = 'CUSTOMER_ADMIN') = (customer_id IS NOT NULL)",
            name=op.f("ck_principals_role_fits_organisation"),
        ),
        sa.CheckConstraint(
            "(partner_id IS NULL) <> (customer_id IS NULL)",
            name=op.f("ck_principals_exactly_one_organisation"),
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_principals_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_principals_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_principals")),
        sa.UniqueConstraint("name", name=op.f("uq_principals_name")),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=True),
        sa.Column("parent_subscription_id", sa.Integer(), nullable=True),
        sa.Column("friendly_name", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("billing_cycle", sa.String(length=10), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(status = 'SUSPENDED') = (suspended_at IS NOT NULL)",
            name=op.f("ck_subscriptions_suspended_at_iff_suspended"),
        ),
        sa.CheckConstraint(
            "billing_cycle IN ('MONTHLY', 'ANNUAL')",
            name=op.f("ck_subscriptions_billing_cycle_known"),
        ),
        sa.CheckConstraint(
            "status IN ('ACTIVE', 'SUSPENDED', 'DELETED')",
            name=op.f("ck_subscriptions_status_known"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_subscriptions_quantity_positive")),
        sa.CheckConstraint("version >= 1", name=op.f("ck_subscriptions_version_positive")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_subscriptions_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_subscriptions_offer_id_offers")
        ),
        sa.ForeignKeyConstraint(
            ["parent_subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_subscriptions_parent_subscription_id_subscriptions"),
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.id"], name=op.f("fk_subscriptions_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subscriptions")),
    )
    op.create_index(
        op.f("ix_subscriptions_customer_id_id"),
        "subscriptions",
        ["customer_id", "id"],
        unique=False,
    )

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("operation", sa.String(length=30), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name=op.f("fk_activities_customer_id_customers")
        ),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_activities_principal_id_principals")
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_activities_subscription_id_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
        sa.UniqueConstraint(
            "subscription_id", "version", name=op.f("uq_activities_subscription_id_version")
        ),
    )
    op.create_index(
        op.f("ix_activities_customer_id_id"), "activities", ["customer_id", "id"], unique=False
    )
    op.create_index(
        op.f("ix_activities_subscription_id_id"),
        "activities",
        ["subscription_id", "id"],
        unique=False,
    )

    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["principal_id"], ["principals.id"], name=op.f("fk_api_keys_principal_id_principals")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_api_keys_key_id")),
    )
    op.create_index(op.f("ix_api_keys_principal_id"), "api_keys", ["principal_id"], unique=False)

    op.create_table(
        "idempotency_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["principal_id"],
            ["principals.id"],
            name=op.f("fk_idempotency_records_principal_id_principals"),
        ),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["subscriptions.id"],
            name=op.f("fk_idempotency_records_subscription_id_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint(
            "principal_id", "key", name=op.f("uq_idempotency_records_principal_id_key")
        ),
    )


def downgrade() -> None:
    op.drop_index("ix_customers_company_name_lower", table_name="customers")
    op.drop_table("idempotency_records")
    op.drop_index(op.f("ix_api_keys_principal_id"), table_name="api_keys")

    op.drop_table("api_keys")
    op.drop_index(op.f("ix_activities_subscription_id_id"), table_name="activities")
    op.drop_index(op.f("ix_activities_customer_id_id"), table_name="activities")

    op.drop_table("activities")
    op.drop_index(op.f("ix_subscriptions_customer_id_id"), table_name="subscriptions")

    op.drop_table("subscriptions")
    op.drop_table("principals")
    op.drop_index(op.f("ix_partner_customers_customer_id"), table_name="partner_customers")

    op.drop_table("partner_customers")
    op.drop_table("partner_offers")
    op.drop_table("offer_prerequisites")
    op.drop_table("offer_markets")
    op.drop_table("customers")
    op.drop_table("partners")
    op.drop_table("offers")
