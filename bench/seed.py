"""Seed the benchmark data set into DATABASE_URL and print a fresh API key as JSON on stdout.

    DATABASE_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/bench \
        .venv/bin/python bench/seed.py --customers 2000 --subscriptions 5

One partner, the demo catalogue, N customers with M subscriptions each and one GLOBAL_ADMIN.
Rows go in bulk (COPY on PostgreSQL, executemany batches on SQLite) in one transaction, so a
database holds the whole set or none of it. An identical set is kept: only a key is minted.
"""

import argparse
import asyncio
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

import dataset  # noqa: E402

from cli import demo  # noqa: E402
from infra import migrations  # noqa: E402
from infra.database import Database, create_database, parse_database_url  # noqa: E402
from models import (  # noqa: E402
    Customer,
    Offer,
    OfferTerm,
    Partner,
    PartnerCustomer,
    Principal,
    Subscription,
)
from models.base import Price, utcnow  # noqa: E402
from services import api_keys, purchases  # noqa: E402
from settings import Settings  # noqa: E402

T = TypeVar("T")
CURRENCY = "USD"
BATCH = 10_000
STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[seed {time.perf_counter() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


class SeedError(Exception):
    """Printed as one line; exit status 1."""


async def seed(url: str, size: dataset.Size, reset: bool) -> str:
    """Make the database hold exactly this data set; return a fresh key's token."""
    state = await _with_database(url, _revision_state)
    if state == "current":
        state = await _with_database(url, lambda db: _state(db, size))
    if state in ("other", "stale"):
        if not reset:
            raise SeedError(
                f"the database holds {'an older schema' if state == 'stale' else 'other data'}; "
                "--reset drops everything in it first"
            )
        await _drop_everything(url)
        state = "empty"
    if state == "empty":
        await migrations.upgrade(url)
    if state == "empty":
        await _with_database(url, lambda db: _load(db, size))
    else:
        log(f"data set {size.customers} x {size.subscriptions_per_customer} already there")
    return await _with_database(url, _mint_key)


def _settings(url: str) -> Settings:
    """No statement timeout: one COPY of a million rows runs longer than the server's 10 s."""
    return Settings(database_url=url, db_statement_timeout_ms=0)


async def _with_database(url: str, work: Callable[[Database], Awaitable[T]]) -> T:
    database = create_database(_settings(url))
    try:
        return await work(database)
    finally:
        await database.dispose()


async def _revision_state(database: Database) -> str:
    """'empty' (never migrated), 'current', or 'stale': a bench data set is rebuilt, never
    migrated, since a migration may not fill new columns the way this seeder would."""
    revision = await migrations.current_revision(database.engine)
    if revision is None:
        return "empty"
    return "current" if revision == migrations.head_revision() else "stale"


async def _count(session: AsyncSession, model: Any) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _state(database: Database, size: dataset.Size) -> str:
    """'empty', 'same' (this exact data set) or 'other'."""
    async with database.read_sessions() as session:
        counts = {m: await _count(session, m) for m in (Partner, Principal, Customer, Subscription)}
        names = set((await session.scalars(select(Partner.name))).all())
        names |= set((await session.scalars(select(Principal.name))).all())
    if not any(counts.values()):
        return "empty"
    expected = {
        Partner: 1,
        Principal: 1,
        Customer: size.customers,
        Subscription: size.subscriptions,
    }
    same = counts == expected and names == {dataset.PARTNER_NAME, dataset.PRINCIPAL_NAME}
    return "same" if same else "other"


async def _drop_everything(url: str) -> None:
    """Only with --reset: the caller said this database is the benchmark's to rebuild."""
    parsed = parse_database_url(url)
    if parsed.drivername.startswith("sqlite"):
        await asyncio.to_thread(_remove_sqlite_files, parsed.database or "")
    else:
        engine = create_database(_settings(url)).engine
        try:
            async with engine.begin() as connection:
                await connection.exec_driver_sql("DROP SCHEMA public CASCADE")
                await connection.exec_driver_sql("CREATE SCHEMA public")
        finally:
            await engine.dispose()
    log("dropped the previous data set")


def _remove_sqlite_files(database: str) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(database + suffix).unlink(missing_ok=True)


async def _load(database: Database, size: dataset.Size) -> None:
    log(f"loading {size.customers} customers x {size.subscriptions_per_customer} subscriptions")
    async with database.write_sessions.begin() as session:
        partner = Partner(name=dataset.PARTNER_NAME, currency=CURRENCY)
        session.add(partner)
        await session.flush()
        offers = await demo.add_catalogue(session, [partner])
        session.add(
            Principal(name=dataset.PRINCIPAL_NAME, role="GLOBAL_ADMIN", partner_id=partner.id)
        )
        base_offers = sorted((o for o in offers.values() if not o.is_add_on), key=lambda o: o.id)
        terms = {
            (t.offer_id, t.billing_cycle): t
            for t in await session.scalars(select(OfferTerm).where(OfferTerm.currency == CURRENCY))
            if t.term_duration != "P3Y"
        }
        await _bulk(session, _table(Customer), _customers(size, partner.id))
        await _bulk(session, _table(PartnerCustomer), _relations(size, partner.id))
        log(f"{size.customers} customers written")
        await _bulk(
            session, _table(Subscription), _subscriptions(size, partner.id, base_offers, terms)
        )
        log(f"{size.subscriptions} subscriptions written")
        if database.engine.dialect.name == "postgresql":
            await _advance_sequences(session)
    log("committed")
    if database.engine.dialect.name == "postgresql":
        await _vacuum_analyze(database)


async def _advance_sequences(session: AsyncSession) -> None:
    """Ids were written explicitly, so the sequences must move past them for later inserts."""
    for name in ("customers", "subscriptions"):
        sequence = f"pg_get_serial_sequence('{name}', 'id')"
        await session.execute(text(f"SELECT setval({sequence}, max(id)) FROM {name}"))


async def _vacuum_analyze(database: Database) -> None:
    """What autovacuum would do soon anyway; done now so that plans do not change mid-run.

    SQLite gets no ANALYZE: the application never runs it, so its planner works without stats.
    """
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        await autocommit.exec_driver_sql("VACUUM ANALYZE")
    log("vacuum analyze done")


def _table(model: Any) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


async def _bulk(session: AsyncSession, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        raw = await connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None  # a checked-out connection
        columns = [column.name for column in table.columns]
        # COPY bypasses bound parameters: prices go in as Price stores them.
        prices = {c.name for c in table.columns if isinstance(c.type, Price)}
        price = Price()
        records = (
            tuple(
                price.process_bind_param(row[name], connection.dialect)
                if name in prices
                else row[name]
                for name in columns
            )
            for row in rows
        )
        await driver.copy_records_to_table(table.name, records=records, columns=columns)
        return
    for batch in _batches(rows, BATCH):
        await session.execute(insert(table), batch)


def _batches(rows: Iterable[dict[str, Any]], size: int) -> Iterator[Sequence[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _customers(size: dataset.Size, partner_id: int) -> Iterator[dict[str, Any]]:
    # Newer schemas keep a case-folded sort key; Core's per-row Python defaults do not run in COPY.
    keyed = "company_name_key" in _table(Customer).c
    for pk in range(1, size.customers + 1):
        row = {
            "id": pk,
            "company_name": dataset.company_name(pk),
            "domain": f"customer{pk:06d}.example",
            "country": dataset.COUNTRIES[(pk - 1) % len(dataset.COUNTRIES)],
            "created_by_partner_id": partner_id if pk % 3 == 0 else None,
            "created_at": dataset.created_at(pk),
            "currency": CURRENCY,
            "group_seats": 0,  # the subscriptions' triggers count them in as they load
        }
        if keyed:
            row["company_name_key"] = dataset.sort_key(dataset.company_name(pk))
        yield row


def _relations(size: dataset.Size, partner_id: int) -> Iterator[dict[str, Any]]:
    for pk in range(1, size.customers + 1):
        yield {"partner_id": partner_id, "customer_id": pk}


def _quantity(offer: Offer, index: int, size: dataset.Size) -> int:
    """Spread over the offer's range; under a per-customer seat limit (DOMAIN.md Q5), within an
    equal share of it, so that every customer's data obeys the limit as the API's would."""
    high = min(offer.max_quantity, offer.min_quantity + dataset.QUANTITY_SPAN - 1)
    if offer.seat_limit_per_customer is not None:
        high = min(high, offer.seat_limit_per_customer // size.subscriptions_per_customer)
    return offer.min_quantity + (index * 7) % (high - offer.min_quantity + 1)


def _subscriptions(
    size: dataset.Size,
    partner_id: int,
    offers: Sequence[Offer],
    terms: dict[tuple[int, str], OfferTerm],
) -> Iterator[dict[str, Any]]:
    """Bought as the API buys (`purchases.bought`: the term that contains today, its price), with
    no seat batches: their windows would be closed, and M1's increases add their own."""
    now = utcnow()
    suspended_at = dataset.EPOCH - timedelta(days=3)
    columns = _table(Subscription).columns
    for index in range(size.subscriptions):
        offer = offers[index % len(offers)]
        suspended = dataset.is_suspended(index)
        row = purchases.bought(
            customer_id=index // size.subscriptions_per_customer + 1,
            offer=offer,
            partner_id=None if dataset.is_direct(index) else partner_id,
            quantity=_quantity(offer, index, size),
            term=terms[(offer.id, offer.billing_cycles.split(",")[0])],
            bought_at=dataset.created_at(index),
            now=now,
            status="SUSPENDED" if suspended else "ACTIVE",
        )
        values = {column.name: getattr(row, column.key) for column in columns}
        yield values | {
            "id": dataset.subscription_id(index),
            "auto_renew": index % 4 != 3,
            "suspended_at": suspended_at if suspended else None,
        }


async def _mint_key(database: Database) -> str:
    async with database.write_sessions.begin() as session:
        principal = await api_keys.find_principal(session, dataset.PRINCIPAL_NAME)
        issued = await api_keys.issue_key(session, principal.id)
    return issued.token


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=dataset.DEFAULT.customers)
    parser.add_argument(
        "--subscriptions",
        type=int,
        default=dataset.DEFAULT.subscriptions_per_customer,
        help="subscriptions per customer",
    )
    parser.add_argument(
        "--reset", action="store_true", help="drop a different data set instead of refusing"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    url = os.environ.get("DATABASE_URL")
    if not url:
        print("error: set DATABASE_URL to the database to seed", file=sys.stderr)
        return 1
    if args.customers < 1 or args.subscriptions < 1:
        print("error: --customers and --subscriptions must be at least 1", file=sys.stderr)
        return 1
    size = dataset.Size(args.customers, args.subscriptions)
    try:
        token = asyncio.run(seed(url, size, args.reset))
    except SeedError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    log("done")
    print(json.dumps({"token": token}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
