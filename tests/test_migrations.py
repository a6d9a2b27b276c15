"""Migrations: the only way the schema changes, and what "behind" means for a rolling deploy."""

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
from alembic import command
from sqlalchemy import bindparam, delete, select, text, update

import models
from infra import migrations
from infra.database import create_database
from models.base import UtcDateTime
from server import create_app
from services.terms import WINDOW, TermDuration, commitment_end
from settings import Settings
from tests import factories


def _url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'm.db'}"


async def _set_revision(url: str, revision: str) -> None:
    database = create_database(Settings(database_url=url))
    async with database.engine.begin() as connection:
        await connection.execute(
            text("UPDATE alembic_version SET version_num = :r"), {"r": revision}
        )
    await database.dispose()


async def _readyz(url: str) -> httpx.Response:
    settings = Settings(database_url=url)
    database = create_database(settings)  # httpx does not run the lifespan that would dispose it
    transport = httpx.ASGITransport(app=create_app(settings, database))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/readyz")
    finally:
        await database.dispose()


def test_behind_means_missing_migrations_this_code_knows() -> None:
    head = migrations.head_revision()
    assert head is not None
    assert migrations.is_behind(head) is False
    assert migrations.is_behind("0001") is True
    assert migrations.is_behind(None) is True
    # Newer code migrated first during a rolling deploy: this older code keeps serving.
    assert migrations.is_behind("f00dcafe") is False


def test_upgrade_downgrade_upgrade_round_trip(tmp_path: Path) -> None:
    url = _url(tmp_path)
    config = migrations.alembic_config(url)
    command.upgrade(config, "head")
    command.downgrade(config, "base")
    command.upgrade(config, "head")
    assert asyncio.run(_readyz(url)).json()["migration"] == migrations.head_revision()


async def test_readiness_follows_the_migration_state(tmp_path: Path) -> None:
    url = _url(tmp_path)
    await migrations.upgrade(url)
    ready = await _readyz(url)
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "database": "ok",
        "migration": migrations.head_revision(),
    }
    await _set_revision(url, "0002")
    behind = await _readyz(url)
    assert behind.status_code == 503
    assert behind.json() == {
        "status": "unavailable",
        "database": "ok",
        "migration": "0002",
        "head": migrations.head_revision(),
    }
    await _set_revision(url, "f00dcafe")
    assert (await _readyz(url)).status_code == 200


async def test_readiness_when_the_database_is_unreachable() -> None:
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere"
    response = await _readyz(unreachable)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_upgrading_a_populated_sqlite_database_keeps_its_rows(tmp_path: Path) -> None:
    """0003 rebuilds `customers`, which subscriptions and others point at."""
    url = _url(tmp_path)
    config = migrations.alembic_config(url)
    command.upgrade(config, "0002")

    async def populate() -> None:
        database = create_database(Settings(database_url=url))
        async with database.engine.begin() as connection:
            for statement in (
                "INSERT INTO partners (id, name) VALUES (1, 'P')",
                "INSERT INTO customers (id, company_name, domain, country, created_at)"
                " VALUES (1, 'Über AG', 'u.example', 'DE', '2026-01-01 00:00:00.000000')",
                "INSERT INTO partner_customers (partner_id, customer_id) VALUES (1, 1)",
                "INSERT INTO offers (id, name, sku, min_quantity, max_quantity, is_add_on,"
                " billing_cycles) VALUES (1, 'O', 'O-1', 1, 10, 0, 'MONTHLY')",
                "INSERT INTO subscriptions (id, customer_id, offer_id, friendly_name, quantity,"
                " status, billing_cycle, auto_renew, created_at, updated_at, version)"
                " VALUES (1, 1, 1, 'O', 3, 'ACTIVE', 'MONTHLY', 1, '2026-01-01 00:00:00.000000',"
                " '2026-01-01 00:00:00.000000', 1)",
            ):
                await connection.execute(text(statement))
        await database.dispose()

    asyncio.run(populate())
    command.upgrade(config, "head")

    async def read() -> list[tuple[object, ...]]:
        database = create_database(Settings(database_url=url))
        async with database.engine.connect() as connection:
            rows = await connection.execute(
                text(
                    "SELECT c.company_name_key, s.quantity FROM customers c"
                    " JOIN subscriptions s ON s.customer_id = c.id"
                )
            )
            found = [tuple(row) for row in rows]
        await database.dispose()
        return found

    assert asyncio.run(read()) == [("über ag", 3)]


# A version 1 database (revision 0003), in version 1's own SQL: two partners, a customer each
# way (created by a partner, or not), offers without terms, subscriptions in every status
# version 1 had (an add-on among them, one bought an hour ago), activities of a partner's user
# and a customer's, and an idempotency record.
_V1_ROWS = (
    "INSERT INTO partners (id, name) VALUES (1, 'Contoso'), (2, 'Fabrikam')",
    "INSERT INTO customers (id, company_name, company_name_key, domain, country,"
    " created_by_partner_id, created_at) VALUES"
    " (1, 'Über AG', 'über ag', 'u.example', 'DE', 1, :long_ago),"
    " (2, 'Beta Ltd', 'beta ltd', 'b.example', 'GB', NULL, :long_ago)",
    "INSERT INTO partner_customers (partner_id, customer_id) VALUES (1, 1), (1, 2), (2, 2)",
    "INSERT INTO offers (id, name, sku, min_quantity, max_quantity, is_add_on, billing_cycles)"
    " VALUES (1, 'Base', 'B-1', 1, 300, :no, 'MONTHLY,ANNUAL'),"
    " (2, 'Add-on', 'A-1', 1, 300, :yes, 'MONTHLY')",
    "INSERT INTO offer_prerequisites (offer_id, prerequisite_offer_id) VALUES (2, 1)",
    "INSERT INTO partner_offers (partner_id, offer_id) VALUES (1, 1), (1, 2), (2, 1)",
    "INSERT INTO principals (id, name, role, partner_id, customer_id) VALUES"
    " (1, 'Pat Partner', 'SALES_AGENT', 1, NULL), (2, 'Cid Customer', 'CUSTOMER_ADMIN', NULL, 2)",
    "INSERT INTO subscriptions (id, customer_id, offer_id, partner_id, parent_subscription_id,"
    " friendly_name, quantity, status, billing_cycle, auto_renew, created_at, updated_at,"
    " suspended_at, version) VALUES"
    " (1, 1, 1, 1, NULL, 'Base', 5, 'ACTIVE', 'MONTHLY', :yes, :long_ago, :lately, NULL, 2),"
    " (2, 1, 2, 1, 1, 'Add-on', 5, 'SUSPENDED', 'MONTHLY', :yes, :long_ago, :lately,"
    " :lately, 2),"
    " (3, 2, 1, NULL, NULL, 'Direct', 7, 'DELETED', 'ANNUAL', :no, :long_ago, :lately,"
    " NULL, 2),"
    " (4, 2, 1, 2, NULL, 'New', 9, 'ACTIVE', 'ANNUAL', :yes, :just_now, :just_now, NULL, 1)",
    "INSERT INTO activities (id, subscription_id, customer_id, principal_id, operation, version,"
    " before, after, created_at) VALUES"
    " (1, 2, 1, 1, 'CHANGE_STATUS', 2, '{\"status\": \"ACTIVE\"}',"
    ' \'{"status": "SUSPENDED"}\', :lately),'
    " (2, 3, 2, 2, 'CHANGE_QUANTITY', 2, '{\"quantity\": 6}', '{\"quantity\": 7}', :lately)",
    "INSERT INTO idempotency_records (id, principal_id, key, request_hash, subscription_id,"
    " created_at) VALUES (1, 1, 'order-0001', :hash, 1, :lately)",
)
_HASH = "ab" * 32


async def _populate_v1(url: str) -> None:
    now = datetime.now(UTC)
    times = {
        "long_ago": now - timedelta(days=400),
        "lately": now - timedelta(days=3),
        "just_now": now - timedelta(hours=1),
    }
    parameters = {**times, "yes": True, "no": False, "hash": _HASH}
    database = create_database(Settings(database_url=url))
    try:
        async with database.engine.begin() as connection:
            for sql in _V1_ROWS:
                statement = text(sql).bindparams(
                    *(bindparam(name, type_=UtcDateTime) for name in times if f":{name}" in sql)
                )
                used = {k: v for k, v in parameters.items() if f":{k}" in sql}
                await connection.execute(statement, used)
    finally:
        await database.dispose()


async def _check_carried_forward(url: str) -> None:
    """What version 2 needs of every version 1 row, read through the models."""
    database = create_database(Settings(database_url=url))
    now = datetime.now(UTC)
    try:
        async with database.read_sessions() as session:
            subscriptions = (
                await session.scalars(select(models.Subscription).order_by(models.Subscription.id))
            ).all()
            assert [(s.id, s.status, s.term_duration, s.billing_cycle) for s in subscriptions] == [
                (1, "ACTIVE", "P1M", "MONTHLY"),
                (2, "SUSPENDED", "P1M", "MONTHLY"),
                (3, "DELETED", "P1Y", "ANNUAL"),
                (4, "ACTIVE", "P1Y", "ANNUAL"),
            ]
            for s in subscriptions:
                term = TermDuration(s.term_duration)
                assert s.term_start_date <= now.date() <= s.commitment_end_date
                assert s.commitment_end_date == commitment_end(s.term_start_date, term)
                assert (s.unit_price, s.currency) == (Decimal("0"), "USD")
                # Version 1 had no windows: not even the purchase of an hour ago may be undone.
                assert s.term_started_at + WINDOW <= now
                assert s.next_term_quantity is None and s.suspended_with_parent is False
            batches = (
                await session.scalars(
                    select(models.SeatBatch).order_by(models.SeatBatch.subscription_id)
                )
            ).all()
            assert [(b.subscription_id, b.quantity) for b in batches] == [
                (1, 5),
                (2, 5),
                (3, 7),
                (4, 9),
            ]
            assert all(b.refundable_until <= now for b in batches)
            terms = (
                await session.execute(
                    select(
                        models.OfferTerm.offer_id,
                        models.OfferTerm.term_duration,
                        models.OfferTerm.billing_cycle,
                    ).order_by(models.OfferTerm.offer_id, models.OfferTerm.billing_cycle)
                )
            ).all()
            assert [tuple(t) for t in terms] == [
                (1, "P1Y", "ANNUAL"),
                (1, "P1M", "MONTHLY"),
                (2, "P1M", "MONTHLY"),
            ]
            activities = (
                await session.scalars(select(models.Activity).order_by(models.Activity.id))
            ).all()
            assert [
                (a.actor_name, a.actor_kind, a.principal_id, a.partner_id, a.version)
                for a in activities
            ] == [
                ("Pat Partner", "PARTNER_USER", 1, 1, 2),
                ("Cid Customer", "CUSTOMER_USER", 2, None, 2),
            ]
            records = (await session.scalars(select(models.IdempotencyRecord))).all()
            assert [
                (r.principal_id, r.key, r.request_hash, r.subscription_id) for r in records
            ] == [(1, "order-0001", _HASH, 1)]
    finally:
        await database.dispose()


def test_a_version_1_database_is_carried_forward_and_back(database_url: str) -> None:
    """Both engines: the test's database is emptied down to no schema, built to 0003 (version
    1's last revision), filled as version 1 would have, then upgraded, downgraded, upgraded."""
    config = migrations.alembic_config(database_url)
    command.downgrade(config, "base")
    command.upgrade(config, "0003")
    asyncio.run(_populate_v1(database_url))
    command.upgrade(config, "head")
    asyncio.run(_check_carried_forward(database_url))
    command.downgrade(config, "0003")
    command.upgrade(config, "head")
    asyncio.run(_check_carried_forward(database_url))


# Migration 0008: customers.group_seats, the count behind the 300-seat limit (DOMAIN.md Q5).
_RECOUNT = text(
    "SELECT c.id, c.group_seats, coalesce((SELECT sum(s.quantity) FROM subscriptions s"
    " JOIN offers o ON o.id = s.offer_id WHERE s.customer_id = c.id"
    " AND o.seat_limit_per_customer IS NOT NULL"
    " AND s.status NOT IN ('CANCELLED', 'DELETED')), 0) FROM customers c ORDER BY c.id"
)


async def _kept_and_counted(url: str) -> dict[int, int]:
    """Every customer's kept count, after checking it against a count from scratch."""
    database = create_database(Settings(database_url=url))
    try:
        async with database.engine.connect() as connection:
            rows = (await connection.execute(_RECOUNT)).all()
    finally:
        await database.dispose()
    assert [(pk, kept) for pk, kept, _ in rows] == [(pk, counted) for pk, _, counted in rows]
    return {pk: kept for pk, kept, _ in rows}


def test_group_seats_follow_every_write_and_are_counted_on_upgrade(database_url: str) -> None:
    """Triggers keep the count through inserts, changes of quantity, status, offer and
    customer, and deletes, on both engines; a downgrade and upgrade counts it afresh."""
    counts = asyncio.run(_write_every_way(database_url))
    config = migrations.alembic_config(database_url)
    command.downgrade(config, "0007")
    command.upgrade(config, "head")
    assert asyncio.run(_kept_and_counted(database_url)) == counts


async def _write_every_way(database_url: str) -> dict[int, int]:
    database = create_database(Settings(database_url=database_url))
    try:
        async with database.write_sessions.begin() as session:
            world = await factories.build_world(session)
            business = await factories.offer(
                session, (world.partner_a,), max_quantity=300, seat_limit=300
            )
            rows = [
                await factories.subscription(
                    session, customer, business, world.partner_a, quantity=quantity
                )
                for customer, quantity in (
                    (world.shared, 10),
                    (world.shared, 20),
                    (world.independent, 30),
                )
            ]
        one, two, three = (row.id for row in rows)
        before = await _kept_and_counted(database_url)
        assert (before[world.shared.id], before[world.independent.id]) == (30, 30)
        subscription, batch = models.Subscription, models.SeatBatch
        for change in (
            update(subscription).where(subscription.id == one).values(quantity=15),
            update(subscription).where(subscription.id == two).values(status="CANCELLED"),
            update(subscription).where(subscription.id == two).values(status="ACTIVE"),
            update(subscription)
            .where(subscription.id == three)
            .values(customer_id=world.shared.id, quantity=31),
            update(subscription).where(subscription.id == one).values(offer_id=world.basic.id),
            update(subscription)
            .where(subscription.id == world.shared_a.id)
            .values(offer_id=business.id),
            delete(batch).where(batch.subscription_id == two),
            delete(subscription).where(subscription.id == two),
        ):
            async with database.engine.begin() as connection:
                await connection.execute(change)
            await _kept_and_counted(database_url)
    finally:
        await database.dispose()
    after = await _kept_and_counted(database_url)
    assert (after[world.shared.id], after[world.independent.id]) == (
        31 + world.shared_a.quantity,
        0,
    )
    return after
