"""Time without requests: what falls due and what each transition does (services/due_work.py),
the `run-due` command, the loop inside `serve`, and exactly once across processes."""

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select, text, update

import models
from infra.database import Database, create_database
from infra.workers import Worker
from models.base import CLOCK
from services import due_work, lifecycle
from settings import Settings, SettingsError
from tests import factories
from tests.factories import World
from tests.processes import PROJECT_DIR, running_server
from tests.snapshots import activities_of, reread, snapshot

# Every factory subscription of a test is bought at T0, for one month: its term is
# 2027-01-15..2027-02-14, and its renewal or expiry is due at 00:00 UTC on 2027-02-15.
T0 = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)
TERM_END = date(2027, 2, 14)
DUE = datetime(2027, 2, 15, tzinfo=UTC)
AFTER = DUE + timedelta(seconds=5)


@pytest.fixture(autouse=True)
def clock() -> Iterator[None]:
    CLOCK.set(T0)
    yield
    CLOCK.reset()


async def run(database: Database, at: datetime) -> list[due_work.Transition]:
    CLOCK.set(at)
    return await due_work.run_due(database)


async def changed(database: Database, pk: int, **values: Any) -> None:
    async with database.write_sessions.begin() as s:
        await s.execute(update(models.Subscription).where(models.Subscription.id == pk), values)


async def batches(database: Database, pk: int) -> list[tuple[int, datetime, datetime]]:
    batch = models.SeatBatch
    async with database.read_sessions() as s:
        rows = await s.execute(
            select(batch.quantity, batch.added_at, batch.refundable_until)
            .where(batch.subscription_id == pk)
            .order_by(batch.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def record_of(entry: models.Activity) -> tuple[Any, ...]:
    return (
        entry.operation,
        entry.version,
        entry.actor_kind,
        entry.actor_name,
        entry.principal_id,
        entry.before,
        entry.after,
    )


# --- what each transition does ----------------------------------------------------------------


async def test_nothing_is_due_before_the_term_ends(database: Database, world: World) -> None:
    before = await snapshot(database)
    assert await run(database, DUE - timedelta(minutes=1)) == []
    assert await snapshot(database) == before


async def test_a_renewal_applies_the_next_term_prices_it_and_opens_a_window_for_every_seat(
    database: Database, world: World
) -> None:
    pk = world.independent_a.id
    await changed(
        database,
        pk,
        next_term_quantity=25,
        next_term_duration="P1Y",
        next_term_billing_cycle="ANNUAL",
    )
    done = await run(database, AFTER)
    assert due_work.Transition(pk, "RENEW", 2) in done
    row = await reread(database, pk)
    assert (row.status, row.version, row.quantity, row.term_duration, row.billing_cycle) == (
        "ACTIVE",
        2,
        25,
        "P1Y",
        "ANNUAL",
    )
    assert (row.term_start_date, row.commitment_end_date) == (
        TERM_END + timedelta(1),
        date(2028, 2, 14),
    )
    assert (row.unit_price, row.currency) == (Decimal("120.00"), "USD")
    # The clock runs on from AFTER: the new window opened when the renewal completed.
    assert AFTER <= row.term_started_at < AFTER + timedelta(seconds=5)
    assert (row.next_term_quantity, row.next_term_duration, row.next_term_billing_cycle) == (
        None,
        None,
        None,
    )
    (old, _, _), new = await batches(database, pk)
    assert (old, new) == (0, (25, row.term_started_at, row.term_started_at + timedelta(hours=168)))
    next_term = {"quantity": 25, "termDuration": "P1Y", "billingCycle": "ANNUAL"}
    assert [record_of(e) for e in await activities_of(database, pk)] == [
        (
            "RENEW",
            2,
            "SYSTEM",
            "system",
            None,
            {
                "quantity": 20,
                "billingCycle": "MONTHLY",
                "termDuration": "P1M",
                "commitmentEndDate": "2027-02-14",
                "unitPrice": "12.00",
                "nextTerm": next_term,
            },
            {
                "quantity": 25,
                "billingCycle": "ANNUAL",
                "termDuration": "P1Y",
                "commitmentEndDate": "2028-02-14",
                "unitPrice": "120.00",
                "nextTerm": None,
            },
        )
    ]


async def test_a_renewal_as_is_moves_only_the_term(database: Database, world: World) -> None:
    pk = world.shared_a.id
    await run(database, AFTER)
    row = await reread(database, pk)
    assert (row.version, row.quantity, row.term_start_date, row.commitment_end_date) == (
        2,
        10,
        date(2027, 2, 15),
        date(2027, 3, 14),
    )
    assert [record_of(e) for e in await activities_of(database, pk)] == [
        (
            "RENEW",
            2,
            "SYSTEM",
            "system",
            None,
            {"commitmentEndDate": "2027-02-14"},
            {"commitmentEndDate": "2027-03-14"},
        )
    ]


async def test_without_auto_renew_a_subscription_expires_at_the_end_of_its_term(
    database: Database, world: World
) -> None:
    pk = world.independent_a.id
    await changed(database, pk, auto_renew=False)
    done = await run(database, AFTER)
    assert due_work.Transition(pk, "EXPIRE", 2) in done
    row = await reread(database, pk)
    assert (row.status, row.version, row.status_changed_at, row.commitment_end_date) == (
        "EXPIRED",
        2,
        DUE,
        TERM_END,
    )
    assert [quantity for quantity, _, _ in await batches(database, pk)] == [0]
    assert [record_of(e) for e in await activities_of(database, pk)] == [
        ("EXPIRE", 2, "SYSTEM", "system", None, {"status": "ACTIVE"}, {"status": "EXPIRED"})
    ]


async def test_a_subscription_still_suspended_when_its_term_ends_expires(
    database: Database, world: World
) -> None:
    pk = world.independent_suspended.id
    suspended_at = (await reread(database, pk)).suspended_at
    assert suspended_at is not None
    await run(database, AFTER)
    row = await reread(database, pk)
    assert (row.status, row.suspended_at, row.status_changed_at, row.version) == (
        "EXPIRED",
        None,
        DUE,
        2,
    )
    assert [record_of(e) for e in await activities_of(database, pk)] == [
        (
            "EXPIRE",
            2,
            "SYSTEM",
            "system",
            None,
            {"status": "SUSPENDED", "suspendedAt": suspended_at.isoformat(), "autoRenew": True},
            {"status": "EXPIRED", "suspendedAt": None, "autoRenew": False},
        )
    ]


async def test_expired_is_disabled_after_30_days_and_deleted_90_days_later(
    database: Database, world: World
) -> None:
    pk = world.independent_a.id
    await changed(database, pk, auto_renew=False)
    await run(database, AFTER)
    deleted_at = lifecycle.deletion_due(await reread(database, pk))
    assert deleted_at == DUE + timedelta(days=120)
    disabled_at = DUE + timedelta(days=30)

    assert not any(
        t.subscription_id == pk for t in await run(database, disabled_at - timedelta(minutes=1))
    )
    assert due_work.Transition(pk, "DISABLE", 3) in await run(database, disabled_at)
    row = await reread(database, pk)
    assert (row.status, row.status_changed_at) == ("DISABLED", disabled_at)

    assert not any(
        t.subscription_id == pk for t in await run(database, deleted_at - timedelta(minutes=1))
    )
    assert due_work.Transition(pk, "DELETE", 4) in await run(
        database, deleted_at + timedelta(hours=3)
    )
    row = await reread(database, pk)
    assert (row.status, row.status_changed_at, row.version) == ("DELETED", deleted_at, 4)
    assert [record_of(e)[:2] + record_of(e)[5:] for e in await activities_of(database, pk)] == [
        ("EXPIRE", 2, {"status": "ACTIVE"}, {"status": "EXPIRED"}),
        ("DISABLE", 3, {"status": "EXPIRED"}, {"status": "DISABLED"}),
        ("DELETE", 4, {"status": "DISABLED"}, {"status": "DELETED"}),
    ]


async def test_a_late_run_catches_up_step_by_step_on_the_timeline_it_missed(
    database: Database, world: World
) -> None:
    """Down for 200 days: one run expires, disables and deletes, each when it was due."""
    pk = world.independent_a.id
    await changed(database, pk, auto_renew=False)
    done = await run(database, DUE + timedelta(days=200))
    assert [t for t in done if t.subscription_id == pk] == [
        due_work.Transition(pk, "EXPIRE", 2),
        due_work.Transition(pk, "DISABLE", 3),
        due_work.Transition(pk, "DELETE", 4),
    ]
    row = await reread(database, pk)
    assert (row.status, row.status_changed_at) == ("DELETED", DUE + timedelta(days=120))
    renewed = await reread(database, world.shared_a.id)  # renewed once per month missed
    assert (renewed.version, renewed.commitment_end_date) == (8, date(2027, 9, 14))


async def test_an_add_on_renews_with_its_base_and_expires_when_its_base_does_not_renew(
    database: Database, world: World
) -> None:
    async with database.write_sessions.begin() as s:
        base = world.independent_base
        renewing = await factories.subscription(
            s, world.independent, world.add_on, world.partner_a, parent=base
        )
        other_base = await factories.subscription(s, world.independent, world.base, world.partner_a)
        ending = await factories.subscription(
            s, world.independent, world.add_on, world.partner_a, parent=other_base
        )
    await changed(database, other_base.id, auto_renew=False)
    done = await run(database, AFTER)
    assert {(t.subscription_id, t.operation) for t in done} >= {
        (base.id, "RENEW"),
        (renewing.id, "RENEW"),
        (other_base.id, "EXPIRE"),
        (ending.id, "EXPIRE"),
    }
    statuses = [(await reread(database, pk)).status for pk in (renewing.id, ending.id)]
    assert statuses == ["ACTIVE", "EXPIRED"]


async def test_a_renewal_the_price_list_no_longer_has_expires(
    database: Database, world: World
) -> None:
    pk = world.independent_a.id
    async with database.write_sessions.begin() as s:
        await s.execute(
            delete(models.OfferTerm).where(
                models.OfferTerm.offer_id == world.basic.id, models.OfferTerm.term_duration == "P1M"
            )
        )
    assert due_work.Transition(pk, "EXPIRE", 2) in await run(database, AFTER)


async def test_a_second_run_does_nothing(database: Database, world: World) -> None:
    first = await run(database, AFTER)
    assert due_work.counts(first) == {"RENEW": 9, "EXPIRE": 1, "DISABLE": 0, "DELETE": 0}
    after_first = await snapshot(database)
    assert await run(database, AFTER + timedelta(hours=1)) == []
    assert await snapshot(database) == after_first


# --- settings, the command, the loop ----------------------------------------------------------


def test_clock_start_is_an_instant_with_its_offset() -> None:
    settings = Settings.from_env(
        {"CLOCK_START": "2027-02-15T00:00:00Z", "DUE_WORK_INTERVAL_S": "0"}
    )
    assert (settings.clock_start, settings.due_work_interval_s) == (DUE, 0)
    assert Settings.from_env({}).clock_start is None
    assert Settings.from_env({}).due_work_interval_s == 30
    for bad in ("tomorrow", "2027-02-15T00:00:00"):
        with pytest.raises(SettingsError, match="CLOCK_START"):
            Settings.from_env({"CLOCK_START": bad})


@pytest.mark.slow
async def test_run_due_prints_each_transition_and_the_counts(
    database_url: str, database: Database, world: World
) -> None:
    await changed(database, world.independent_a.id, auto_renew=False)
    cli = {"CLOCK_START": AFTER.isoformat()}
    result = await asyncio.to_thread(_run_due, database_url, cli)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"RENEW": 8, "EXPIRE": 2, "DISABLE": 0, "DELETE": 0}
    assert f"EXPIRE subscription {world.independent_a.id} (version 2)" in result.stderr.splitlines()
    again = await asyncio.to_thread(_run_due, database_url, cli)
    assert json.loads(again.stdout) == {"RENEW": 0, "EXPIRE": 0, "DISABLE": 0, "DELETE": 0}


def _run_due(database_url: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "server.py", "run-due"],
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_a_failed_pass_is_logged_and_the_next_runs_on_time(
    caplog: pytest.LogCaptureFixture,
) -> None:
    passes: list[int] = []
    third = asyncio.Event()

    async def work() -> None:
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("the database went away")
        if len(passes) == 3:
            third.set()

    worker = Worker("test-worker", 0.01, work)
    worker.start()
    await asyncio.wait_for(third.wait(), timeout=5)
    await worker.stop()
    stopped_at = len(passes)
    await asyncio.sleep(0.05)
    assert len(passes) == stopped_at
    [failed] = [r for r in caplog.records if r.name == "csp.workers"]
    assert (failed.getMessage(), failed.exc_info is not None) == (
        "a pass of test-worker failed",
        True,
    )


@pytest.mark.slow
async def test_every_serve_process_applies_what_falls_due_on_its_own(
    database_url: str, database: Database, world: World, tmp_path: Path
) -> None:
    """Started a second before the term ends, with a pass every second: no request needed."""
    env = {"CLOCK_START": (DUE - timedelta(seconds=1)).isoformat(), "DUE_WORK_INTERVAL_S": "1"}
    with running_server(database_url, tmp_path, env=env) as server:
        for _ in range(300):
            if '"logger": "csp.due"' in server.log():
                break
            await asyncio.sleep(0.1)
        assert server.stop() in (0, -signal.SIGTERM)
    lines = [json.loads(line) for line in server.log().splitlines()]
    [logged] = [line for line in lines if line["logger"] == "csp.due"]
    assert logged["transitions"] == {"RENEW": 9, "EXPIRE": 1, "DISABLE": 0, "DELETE": 0}
    row = await reread(database, world.shared_a.id)
    assert (row.version, row.commitment_end_date) == (2, date(2027, 3, 14))


# --- exactly once across processes ----------------------------------------------------------

MANY = 1000


@pytest.fixture
async def many_due(database_url: str) -> AsyncIterator[Database]:
    """MANY subscriptions of one customer due at DUE, bulk-copied from one: odd ids renew,
    even ones expire."""
    database = create_database(Settings(database_url=database_url))
    async with database.write_sessions.begin() as s:
        partner = await factories.partner(s)
        customer = await factories.customer(s, (partner,))
        offer = await factories.offer(s, (partner,))
        template = await factories.subscription(s, customer, offer, partner)
        columns = [c.name for c in models.Subscription.__table__.columns if c.name != "id"]
        copied = ", ".join("n % 2 = 1" if c == "auto_renew" else c for c in columns)
        await s.execute(
            text(
                "WITH RECURSIVE numbers(n) AS (SELECT 2 UNION ALL SELECT n + 1 FROM numbers "
                f"WHERE n < :many) INSERT INTO subscriptions ({', '.join(columns)}) "
                f"SELECT {copied} FROM subscriptions, numbers WHERE id = :id"
            ),
            {"many": MANY, "id": template.id},
        )
    yield database
    await database.dispose()


async def _outcomes(database: Database) -> list[tuple[int, str, int, int, str | None]]:
    """Per subscription: id, status, version, its records, and their operations."""
    sub, entry = models.Subscription, models.Activity
    async with database.read_sessions() as s:
        rows = await s.execute(
            select(
                sub.id,
                sub.status,
                sub.version,
                func.count(entry.id),
                func.min(entry.operation),
            )
            .outerjoin(entry, entry.subscription_id == sub.id)
            .group_by(sub.id)
            .order_by(sub.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def _expected(pk: int) -> tuple[int, str, int, int, str]:
    return (pk, "ACTIVE", 2, 1, "RENEW") if pk % 2 else (pk, "EXPIRED", 2, 1, "EXPIRE")


@pytest.mark.slow
async def test_two_run_due_processes_apply_each_transition_exactly_once(
    many_due: Database, database_url: str
) -> None:
    racers = [await _start_run_due(database_url) for _ in range(2)]
    outputs = [await asyncio.wait_for(p.communicate(), timeout=180) for p in racers]
    assert [p.returncode for p in racers] == [0, 0]
    totals = [json.loads(out) for out, _ in outputs]
    assert {op: totals[0][op] + totals[1][op] for op in due_work.OPERATIONS} == {
        "RENEW": MANY // 2,
        "EXPIRE": MANY // 2,
        "DISABLE": 0,
        "DELETE": 0,
    }
    assert await _outcomes(many_due) == [_expected(pk) for pk in range(1, MANY + 1)]
    # The template's one batch emptied; one new batch per renewal, with every seat.
    batch = models.SeatBatch
    async with many_due.read_sessions() as s:
        found = await s.execute(
            select(func.count(), func.sum(batch.quantity)).group_by(batch.quantity > 0)
        )
        assert sorted(tuple(row) for row in found) == [(1, 0), (MANY // 2, MANY // 2 * 10)]


@pytest.mark.slow
async def test_a_killed_run_leaves_each_subscription_done_or_untouched_and_the_next_finishes(
    many_due: Database, database_url: str
) -> None:
    process = await _start_run_due(database_url)
    try:
        while await _recorded(many_due) < 50:
            assert process.returncode is None, "run-due ended before it could be killed"
            await asyncio.sleep(0.01)
    finally:
        process.kill()  # SIGKILL: no cleanup of any kind
        await asyncio.wait_for(process.wait(), timeout=15)
    assert process.returncode == -signal.SIGKILL
    outcomes = await _outcomes(many_due)
    done = [o for o in outcomes if o[2] == 2]
    assert 50 <= len(done) < MANY
    for outcome in outcomes:
        assert outcome in (_expected(outcome[0]), (outcome[0], "ACTIVE", 1, 0, None))
    result = await asyncio.to_thread(_run_due, database_url, {"CLOCK_START": AFTER.isoformat()})
    assert result.returncode == 0, result.stderr
    assert sum(json.loads(result.stdout).values()) == MANY - len(done)
    assert await _outcomes(many_due) == [_expected(pk) for pk in range(1, MANY + 1)]


async def _start_run_due(database_url: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "server.py",
        "run-due",
        cwd=PROJECT_DIR,
        env={**os.environ, "DATABASE_URL": database_url, "CLOCK_START": AFTER.isoformat()},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _recorded(database: Database) -> int:
    async with database.read_sessions() as s:
        return (await s.scalars(select(func.count()).select_from(models.Activity))).one()


@pytest.mark.postgres
async def test_a_row_another_transaction_holds_is_skipped_then_applied_by_the_next_run(
    postgres_url: str,
) -> None:
    database = create_database(Settings(database_url=postgres_url))
    try:
        async with database.write_sessions.begin() as s:
            world = await factories.build_world(s)
        held = world.shared_a.id
        CLOCK.set(AFTER)
        async with database.write_sessions.begin() as holder:
            lock = select(models.Subscription.id).where(models.Subscription.id == held)
            await holder.execute(lock.with_for_update())
            done = await due_work.run_due(database)
            assert len(done) == 9 and held not in {t.subscription_id for t in done}
            assert (await reread(database, held)).version == 1
        assert await due_work.run_due(database) == [due_work.Transition(held, "RENEW", 2)]
    finally:
        await database.dispose()
